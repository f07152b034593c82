"""vnkg: a knowledge graph built from Vietnamese local-government news.

The library: reading articles, extraction stages, linking, emitting RDF, the store,
export and validation. No Flask here; the server reads the store through this package.
"""

__version__ = "0.1.0"

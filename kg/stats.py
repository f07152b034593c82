"""`vnkg stats`: what the store holds, and the consistency checks users rely on."""

from __future__ import annotations

import pyoxigraph as ox

from .store import select

CLASSES = ["vnkg:Article", "vnkg:Agency", "vnkg:Organization", "vnkg:AdministrativeUnit", "vnkg:Country",
           "vnkg:Province", "vnkg:District", "vnkg:Commune", "vnkg:Person", "vnkg:Meeting", "vnkg:Program",
           "vnkg:Figure", "org:Membership"]

DUPLICATE_LABELS = """
SELECT ?cls ?label (COUNT(DISTINCT ?x) AS ?n) WHERE {
  GRAPH ?g { ?x a ?cls ; rdfs:label ?label . ?a schema:mentions ?x }
  FILTER(?cls IN (vnkg:Agency, vnkg:Organization, vnkg:Province, vnkg:District, vnkg:Commune))
  OPTIONAL { ?x vnkg:jurisdiction ?j }
} GROUP BY ?cls ?label ?j HAVING (COUNT(DISTINCT ?x) > 1) ORDER BY DESC(?n) LIMIT 20
"""


def stats(store: ox.Store) -> list[str]:
    lines = []
    graphs = list(store.named_graphs())
    total = len(store)
    lines.append(f"quads: {total}")
    lines.append(f"named graphs: {len(graphs)}")
    for cls in CLASSES:
        rows = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a/rdfs:subClassOf* {cls} }}")
        lines.append(f"{cls:<26} {rows[0]['n'].value}")
    dups = select(store, DUPLICATE_LABELS)
    lines.append(f"same-class nodes sharing a label and jurisdiction: {len(dups)}")
    for r in dups[:10]:
        lines.append(f"  {r['cls'].value.rsplit('#', 1)[-1]} {r['label'].value!r} x{r['n'].value}")
    return lines

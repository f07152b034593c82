"""`vnkg stats`: what the store holds, and the consistency checks users rely on."""

from __future__ import annotations

import pyoxigraph as ox

from .store import select

CLASSES = ["vnkg:Article", "vnkg:Agency", "vnkg:Organization", "vnkg:AdministrativeUnit", "vnkg:Country",
           "vnkg:Province", "vnkg:District", "vnkg:Commune", "vnkg:Person", "vnkg:Meeting", "vnkg:Program",
           "vnkg:Figure", "org:Membership"]

# Two nodes of one class with the same name (case aside) and the same jurisdiction (agencies) or
# parent (places) are one thing under two IRIs: what linking must never leave behind. (People of
# one name are kept apart unless an organisation ties them, so they are not counted here.)
DUPLICATE_LABELS = """
SELECT ?cls ?name ?where (COUNT(DISTINCT ?x) AS ?n) WHERE {
  GRAPH ?g { ?a schema:mentions ?x . ?x a ?cls ; rdfs:label ?label }
  FILTER(?cls IN (vnkg:Agency, vnkg:Organization, vnkg:Province, vnkg:District, vnkg:Commune))
  OPTIONAL { ?x vnkg:jurisdiction|schema:containedInPlace ?w }
  BIND(LCASE(STR(?label)) AS ?name)
  BIND(COALESCE(?w, "") AS ?where)
} GROUP BY ?cls ?name ?where HAVING (COUNT(DISTINCT ?x) > 1) ORDER BY DESC(?n) LIMIT 50
"""


def duplicates(store: ox.Store) -> list[dict]:
    return select(store, DUPLICATE_LABELS)


def stats(store: ox.Store) -> list[str]:
    lines = []
    graphs = list(store.named_graphs())
    total = len(store)
    lines.append(f"quads: {total}")
    lines.append(f"named graphs: {len(graphs)}")
    for cls in CLASSES:
        rows = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a/rdfs:subClassOf* {cls} }}")
        lines.append(f"{cls:<26} {rows[0]['n'].value}")
    dups = duplicates(store)
    lines.append(f"same-class nodes sharing a label and jurisdiction: {len(dups)}")
    for r in dups[:10]:
        lines.append(f"  {r['cls'].value.rsplit('#', 1)[-1]} {r['name'].value!r} x{r['n'].value}")
    return lines

"""How far underthesea's own NER goes on the gold articles: the signal the issue asks to measure.

For each gold article (GOLD_DIR/*.json beside CORPUS_DIR/<same name>.txt), underthesea's `ner()` runs
on each sentence of underthesea's `sent_tokenize` (as in bench_pipeline.py), and its entities (B-/I-
runs of PER, ORG, LOC) are compared with the gold names of people, organisations and administrative
units, compared as the scorer compares names (its `norm`):

- recall: gold entities (not optional) one of whose names is an NER entity of the matching type;
- precision: NER entities of a type that are a name of some gold entity of the matching type.

Also: the same with the type ignored, and how many gold names are at least underthesea proper-noun
(`Np`) tokens. Nothing is stored or built: this reads text and gold only.

    .venv/bin/python bench/ner_signal.py ../shared/corpus/dev ../shared/eval/gold/dev
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

TYPES = {"PER": "Person", "ORG": "Organization", "LOC": "AdministrativeUnit"}


def norm(text: str) -> str:  # the scorer's
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[\"'“”‘’«»()\[\],.:;!?]", " ", text)
    text = re.sub(r"[-–—]", " ", text)
    return " ".join(text.split())


def entities(tagged) -> list[tuple[str, str]]:
    """(type, text) runs of B-X / I-X tags in one sentence's `ner()` output."""
    out, cur, kind = [], [], None
    for word, _pos, _chunk, tag in tagged:
        if tag.startswith("B-") or (tag.startswith("I-") and kind != tag[2:]):
            if cur:
                out.append((kind, " ".join(cur)))
            cur, kind = [word], tag[2:]
        elif tag.startswith("I-"):
            cur.append(word)
        else:
            if cur:
                out.append((kind, " ".join(cur)))
            cur, kind = [], None
    if cur:
        out.append((kind, " ".join(cur)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("gold")
    args = ap.parse_args()
    from underthesea import ner, sent_tokenize

    from kg.reader import read_path

    found = defaultdict(lambda: [0, 0])  # category -> [gold found, gold]
    typed = defaultdict(lambda: [0, 0])  # category -> [ner entities that are gold names, ner entities]
    untyped = [0, 0]
    proper = [0, 0]
    seconds = 0.0
    for gf in sorted(Path(args.gold).glob("*.json")):
        gold = json.loads(gf.read_text())
        text = next(iter(read_path(Path(args.corpus) / (gf.stem + ".txt")))).text
        t = time.process_time()
        tagged = [ner(s) for para in text.split("\n") if para.strip() for s in sent_tokenize(para)]
        seconds += time.process_time() - t
        ents = [e for sent in tagged for e in entities(sent)]
        nps = {norm(w) for sent in tagged for w, pos, _, _ in sent if pos == "Np"}
        by_type = defaultdict(set)
        for kind, name in ents:
            by_type[TYPES.get(kind, kind)].add(norm(name))
        names = defaultdict(set)
        for e in gold.get("entities", []):
            cat = "Organization" if e["type"] in ("Agency", "Organization") else e["type"]
            if cat not in TYPES.values():
                continue
            ns = {norm(n) for n in e["names"]}
            names[cat] |= ns
            if e.get("optional"):
                continue
            found[cat][1] += 1
            found[cat][0] += bool(ns & by_type[cat])
            proper[1] += 1
            proper[0] += any(n in nps or all(w in {x for np_ in nps for x in np_.split()} for w in n.split()[-2:]) for n in ns)
        all_names = set().union(*names.values()) if names else set()
        for cat in TYPES.values():
            typed[cat][1] += len(by_type[cat])
            typed[cat][0] += len(by_type[cat] & names[cat])
        every = set().union(*by_type.values()) if by_type else set()
        untyped[1] += len(every)
        untyped[0] += len(every & all_names)
    print(f"{'category':<20}{'recall':>8}{'precision':>11}   (gold found / gold; NER names that are gold / NER names)")
    for cat in TYPES.values():
        r = found[cat][0] / max(found[cat][1], 1)
        p = typed[cat][0] / max(typed[cat][1], 1)
        print(f"{cat:<20}{r:8.3f}{p:11.3f}   {found[cat][0]}/{found[cat][1]}; {typed[cat][0]}/{typed[cat][1]}")
    print(f"{'any type':<20}{'':>8}{untyped[0] / max(untyped[1], 1):11.3f}   {untyped[0]}/{untyped[1]}")
    print(f"gold names whose last two words are underthesea proper nouns (Np): {proper[0]}/{proper[1]}")
    print(f"ner(): {seconds:.1f} s CPU for {len(list(Path(args.gold).glob('*.json')))} articles")


if __name__ == "__main__":
    main()

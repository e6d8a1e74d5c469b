"""The quick English check before the language detector, on real text.

    taskset -c 1 .venv/bin/python benchmarks/language_check.py
    taskset -c 1 .venv/bin/python benchmarks/language_check.py --corpus acled-asia --show 5

For each corpus, each text cleaned as the pipeline cleans it, then:

  - the share the quick check (text_cleanup.plainly_english) calls English, so that the
    detector never sees it;
  - texts it calls English that the full detector (every language, on the text the
    pipeline gives it: text_cleanup.detection_sample) calls another language (with
    --show, the first few of them): the check must never take a foreign text for English;
  - the texts the pipeline's decision (NormalizeArticleFn.detect_language) calls other
    than English, which are stored but not extracted (with --show, the first few);
  - the detector's time per text (its model loading apart) and the check's.

Reads ../shared/eval; nothing is written.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = {"fakes": "eval/fakes_syria_news.jsonl", "geovirus": "eval/geovirus.jsonl",
           "acled": "eval/acled_notes_africa_2016.jsonl",
           "acled-asia": "eval/acled_notes_asia_2015.jsonl", "plover": "eval/plover_gsr.json"}


def corpus_texts(path: Path) -> list[str]:
    if path.suffix == ".json":  # the PLOVER records: a JSON array
        records = json.loads(path.read_text(encoding="utf-8"))
    else:
        records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [r["text"] for r in records if isinstance(r, dict) and (r.get("text") or "").strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=",".join(CORPORA), help=f"from: {', '.join(CORPORA)}")
    parser.add_argument("--show", type=int, default=0, help="print the first N disagreements")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    unknown = set(args.corpus.split(",")) - set(CORPORA)
    if unknown:
        parser.error(f"unknown corpus {', '.join(sorted(unknown))}; from: {', '.join(CORPORA)}")

    from lingua import Language, LanguageDetectorBuilder

    from newsevents.transforms.core.text_cleanup import clean_article_text, detection_sample, plainly_english
    from newsevents.transforms.lexicons.loader import load_boilerplate_patterns, read_words
    from newsevents.transforms.normalize import DETECTED_LANGUAGES, NormalizeArticleFn

    patterns = load_boilerplate_patterns()
    markers = frozenset(read_words("english_markers.txt"))
    pipeline = NormalizeArticleFn()
    pipeline.setup()
    started = time.perf_counter()
    languages = [getattr(Language, name) for name in DETECTED_LANGUAGES]
    detector = LanguageDetectorBuilder.from_languages(*languages).build()
    detector.detect_language_of("The models load on the first text.")
    print(f"detector's models loaded in {time.perf_counter() - started:.2f} s")
    print(f"{'corpus':<12} {'texts':>7} {'quick: English':>15} {'of those, detector disagrees':>29} "
          f"{'pipeline: not English':>22} {'detector ms/text':>17} {'quick ms/text':>14}")
    for name in args.corpus.split(","):
        texts = [clean_article_text(text, patterns) for text in corpus_texts(args.shared / CORPORA[name])]
        texts = [text for text in texts if text]  # an empty body is a reject, never detected
        started = time.perf_counter()
        quick = [plainly_english(text, markers) for text in texts]
        quick_s = time.perf_counter() - started
        started = time.perf_counter()
        detected = [detector.detect_language_of(detection_sample(text)) for text in texts]
        detector_s = time.perf_counter() - started
        codes = [found.iso_code_639_1.name.lower() if found else "und" for found in detected]
        disagree = [(text, code) for text, english, code in zip(texts, quick, codes)
                    if english and code != "en"]
        foreign = [(text, code) for text in texts if (code := pipeline.detect_language(text)) != "en"]
        per_text = 1000 / len(texts)
        print(f"{name:<12} {len(texts):>7} {sum(quick) / len(texts):>15.1%} {len(disagree):>29} "
              f"{len(foreign):>22} {detector_s * per_text:>17.2f} {quick_s * per_text:>14.3f}")
        for text, code in disagree[:args.show]:
            print(f"    detector: {code}; {text[:160]!r}")
        for text, code in foreign[:args.show]:
            print(f"    pipeline: {code}; {text[:160]!r}")


if __name__ == "__main__":
    main()

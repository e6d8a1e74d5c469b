"""Parse articles line by line. Pure spaCy, no Beam.

Each line (a headline, a caption, a paragraph) is parsed on its own and the pieces are
joined back into one Doc whose text is exactly the article's text, so character
offsets still point into the stored article. Parsing lines alone keeps a headline from
being glued to the first sentence, which the small English model otherwise does.

    docs = parse_texts(nlp, ["Headline\\nPolice said ...", ...], batch_size=32)
    docs = parse_texts(nlp, texts, sentence_filter=candidates)   # the model only where
                                                                  # an event can be
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from newsevents.transforms.defaults import DEFAULT_BATCH_SIZE
from newsevents.transforms.extraction.prefilter import SentenceFilter, split_sentences

LINE = re.compile(r"[^\n]*\n*")


def split_lines(text: str) -> list[str]:
    """Lines with their trailing newlines; they concatenate back to ``text``."""
    return [piece for piece in LINE.findall(text) if piece]


def parse_texts(nlp: Language, texts: Iterable[str], batch_size: int = DEFAULT_BATCH_SIZE,
                sentence_filter: "SentenceFilter | None" = None) -> Iterator[Doc]:
    """One Doc per text, parsed line by line in a single ``nlp.pipe`` stream.

    With a ``sentence_filter``, lines are cut into sentences and only the candidate
    sentences go through the model; the others are only tokenized
    (``SentenceFilter.cheap_doc``)."""
    texts = list(texts)
    if sentence_filter is None:
        pieces = [[(line, True) for line in split_lines(text) or [text]] for text in texts]
    else:
        pieces = [[(sentence, sentence_filter.is_candidate(sentence))
                   for line in split_lines(text) or [text] for sentence in split_sentences(line)]
                  for text in texts]
    stream = nlp.pipe((piece for parts in pieces for piece, parse in parts if parse),
                      batch_size=batch_size * 8)
    for text, parts in zip(texts, pieces):
        docs = [next(stream) if parse else sentence_filter.cheap_doc(piece)
                for piece, parse in parts]
        doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
        assert doc.text == text, "line-wise parsing must keep the text unchanged"
        if sentence_filter is not None:
            doc.user_data[PARSED_RANGES] = parsed_ranges(docs, [parse for _, parse in parts])
        yield doc


PARSED_RANGES = "parsed_ranges"


def parsed_ranges(docs: list[Doc], parsed: list[bool]) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the joined Doc that the model parsed, adjacent
    pieces merged: the only places a trigger can match."""
    ranges, start = [], 0
    for piece, piece_parsed in zip(docs, parsed):
        end = start + len(piece)
        if piece_parsed:
            if ranges and ranges[-1][1] == start:
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((start, end))
        start = end
    return ranges


def parsed_spans(doc: Doc):
    """The parts of a Doc the model parsed (all of it when no filter was used)."""
    ranges = doc.user_data.get(PARSED_RANGES)
    if ranges is None:
        return [doc[:]]
    return [doc[start:end] for start, end in ranges]


def was_parsed(doc: Doc, i: int) -> bool:
    """Whether the model parsed token ``i`` (the pre-filter leaves some sentences
    unparsed: only tokenized, with country names tagged)."""
    ranges = doc.user_data.get(PARSED_RANGES)
    return ranges is None or any(start <= i < end for start, end in ranges)

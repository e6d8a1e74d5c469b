"""Parse articles line by line. Pure spaCy, no Beam.

Each line (a headline, a caption, a paragraph) is parsed on its own and the pieces are
joined back into one Doc whose text is exactly the article's text, so character
offsets still point into the stored article. Parsing lines alone keeps a headline from
being glued to the first sentence, which the small English model otherwise does.

    docs = parse_texts(nlp, ["Headline\\nPolice said ...", ...], batch_size=32)
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

LINE = re.compile(r"[^\n]*\n*")


def split_lines(text: str) -> list[str]:
    """Lines with their trailing newlines; they concatenate back to ``text``."""
    return [piece for piece in LINE.findall(text) if piece]


def parse_texts(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """One Doc per text, parsed line by line in a single ``nlp.pipe`` stream."""
    texts = list(texts)
    pieces = [split_lines(text) or [text] for text in texts]
    stream = nlp.pipe((line for lines in pieces for line in lines), batch_size=batch_size * 8)
    for text, lines in zip(texts, pieces):
        docs = [next(stream) for _ in lines]
        doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
        assert doc.text == text, "line-wise parsing must keep the text unchanged"
        yield doc

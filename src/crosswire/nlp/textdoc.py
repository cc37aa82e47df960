"""spaCy's Doc with its text computed once.

``Doc.text`` joins every token's text on each call; the story components ask for it hundreds
of times per article (about a quarter of a run's time went there). crosswire never changes a
Doc's tokens, so the first result stands. Every Doc a run sees is revived from its stored bytes
(``Language.unpack_doc``) as a ``TextDoc``: fresh parses and cached ones are the same objects.
"""

from __future__ import annotations

from spacy.tokens import Doc


class TextDoc(Doc):  # type: ignore[misc]
    @property
    def text(self) -> str:
        cached = self.__dict__.get("_text")
        if cached is None:
            cached = self.__dict__["_text"] = Doc.text.__get__(self)
        return cached

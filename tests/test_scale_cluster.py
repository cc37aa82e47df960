"""crosswire batch through --address: a Ray head and one worker node as separate processes on loopback.

Teardown stops exactly the processes of this cluster (found by its own temp folder), so a Ray
runtime someone else runs on the machine survives the test."""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
RAY = str(Path(sys.executable).with_name("ray"))
_spec = importlib.util.spec_from_file_location("scale_corpus", HERE / "fixtures" / "scale" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def ray_cluster(monkeypatch):
    if not Path(RAY).exists() and not shutil.which("ray"):
        pytest.skip("the `ray` command is not installed")
    # a token made for this cluster alone, so a fresh machine (no ~/.ray/auth_token) works the same
    token = secrets.token_hex(32)
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": token, "RAY_USAGE_STATS_ENABLED": "0"}
    monkeypatch.setenv("RAY_AUTH_MODE", "token")  # the driver presents the same token
    monkeypatch.setenv("RAY_AUTH_TOKEN", token)
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    port = _free_port()
    address = f"127.0.0.1:{port}"
    temp = f"/tmp/cw-ray-{port}"  # short (socket paths) and ours alone: teardown stops only this cluster
    common = ["--node-ip-address=127.0.0.1", "--num-cpus=1", "--disable-usage-stats", "--object-store-memory=300000000",
              f"--temp-dir={temp}"]
    try:
        subprocess.run([RAY, "start", "--head", f"--port={port}", "--include-dashboard=false", *common],
                       env=env, check=True, capture_output=True, timeout=120)
        subprocess.run([RAY, "start", f"--address={address}", *common], env=env, check=True, capture_output=True,
                       timeout=120)
        yield address
    finally:
        _stop_cluster(temp)


def _stop_cluster(temp: str) -> None:
    """Stop the processes of the cluster started above (not `ray stop`, which ends every Ray on the machine)."""
    import psutil

    own = [p for p in psutil.process_iter(["cmdline"]) if temp in " ".join(p.info["cmdline"] or [])]
    procs = set(own)
    for p in own:
        try:
            procs.update(p.children(recursive=True))
        except psutil.Error:
            pass
    for p in procs:
        try:
            p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(list(procs), timeout=20)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    shutil.rmtree(temp, ignore_errors=True)


def test_batch_runs_on_a_two_node_cluster(ray_cluster, tmp_path):
    import ray
    from typer.testing import CliRunner

    from crosswire.cli import app
    from crosswire.store import Store

    ray.init(address=ray_cluster, include_dashboard=False, log_to_driver=False)
    try:
        nodes = [n for n in ray.nodes() if n["Alive"]]
        assert len(nodes) == 2 and ray.cluster_resources()["CPU"] == 2
    finally:
        ray.shutdown()
    # Two embedding actors of 0.6 CPU each cannot share a 1-CPU node: the job can only finish
    # when the worker node takes part.
    corpus.build(tmp_path / "in")
    out, db = tmp_path / "out", tmp_path / "c.db"
    res = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out), "--db", str(db),
                                   "--address", ray_cluster])
    assert "shards: 4 (4 processed now, 0 already finished, 0 unfinished)" in res.output, res.output
    assert "cc-news-d.warc.gz: 1 truncated" in res.output
    assert res.exit_code == 0, res.output
    with Store(db) as store:
        assert store.count("articles") == 9
        titles = [r["title"] for r in store.list_stories()]
    assert len(titles) >= 2 and any("Lindenfeld" in t or "Aller" in t for t in titles)
    # the same command again: every shard is finished, nothing is added
    again = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out), "--db", str(db),
                                     "--address", ray_cluster])
    assert "0 processed now, 4 already finished" in again.output, again.output
    with Store(db) as store:
        assert store.count("articles") == 9

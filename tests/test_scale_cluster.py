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

pytestmark = pytest.mark.slow  # Ray runtimes and larger corpora: `make test-all`

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
    common = [
        "--node-ip-address=127.0.0.1",
        "--num-cpus=1",
        "--disable-usage-stats",
        "--object-store-memory=300000000",
        f"--temp-dir={temp}",
    ]
    try:
        subprocess.run(
            [RAY, "start", "--head", f"--port={port}", "--include-dashboard=false", *common],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [RAY, "start", f"--address={address}", *common], env=env, check=True, capture_output=True, timeout=120
        )
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


def _driver(args: list[str]) -> subprocess.CompletedProcess:
    """Run a driver process against the cluster: a fresh process, so no Ray state of earlier tests
    (a cached auth token, a global node) leaks in. The head listens on loopback only, and Ray rewrites
    127.0.0.1 to the machine's outward address unless it is told the driver is not a cluster node."""
    env = {**os.environ, "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)


def test_batch_runs_on_a_two_node_cluster(ray_cluster, tmp_path):
    from crosswire.store.db import Store

    probe = _driver(
        [
            sys.executable,
            "-c",
            "import ray, sys; ray.init(address=sys.argv[1], include_dashboard=False, log_to_driver=False); "
            "print(len([n for n in ray.nodes() if n['Alive']]), int(ray.cluster_resources()['CPU']))",
            ray_cluster,
        ]
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert probe.stdout.split()[-2:] == ["2", "2"], probe.stdout
    # One single-CPU actor per CPU of the cluster: the job can only finish when the worker node takes part.
    corpus.build(tmp_path / "in")
    out, db = tmp_path / "out", tmp_path / "c.db"
    batch = [
        sys.executable,
        "-m",
        "crosswire.cli",
        "batch",
        str(tmp_path / "in"),
        "--out",
        str(out),
        "--db",
        str(db),
        "--address",
        ray_cluster,
    ]
    res = _driver(batch)
    output = res.stdout + res.stderr
    assert "shards: 4 (4 processed now, 0 already finished, 0 unfinished)" in output, output[-3000:]
    assert "cc-news-d.warc.gz: 1 truncated" in output
    assert res.returncode == 0, output[-3000:]
    with Store(db) as store:
        assert store.count("articles") == 9
        titles = [r["title"] for r in store.list_stories()]
    assert len(titles) >= 2 and any("Lindenfeld" in t or "Aller" in t for t in titles)
    # the same command again: every shard is finished, nothing is added
    again = _driver(batch)
    assert "0 processed now, 4 already finished" in again.stdout + again.stderr, (again.stdout + again.stderr)[-3000:]
    with Store(db) as store:
        assert store.count("articles") == 9

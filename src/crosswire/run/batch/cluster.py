"""Connecting to Ray: a local runtime started here, or an existing cluster by address."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

LOCAL_CPUS = 2


@contextmanager
def connect(address: str | None = None, *, num_cpus: int | None = None) -> Iterator[dict[str, float]]:
    """Join the cluster at ``address``, or start Ray in this machine; yields the cluster's resources.

    Ray is shut down (or the driver disconnected) on exit, unless it was already running here.
    """
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never phone home
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "WARNING")  # Ray Data's own console handler: no INFO lines
    import ray

    if ray.is_initialized():
        yield dict(ray.cluster_resources())
        return
    common = dict(include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False, configure_logging=False)
    if address:
        ray.init(address=address, **common)
    else:
        cpus = num_cpus or min(LOCAL_CPUS, os.cpu_count() or 1)
        # A local runtime listens on loopback only, never on the machine's outward address: Ray picks
        # loopback when it believes clusters are off, so say so for the start of this runtime.
        from ray._private import ray_constants

        saved = ray_constants.ENABLE_RAY_CLUSTER
        ray_constants.ENABLE_RAY_CLUSTER = False
        try:
            ray.init(address="local", num_cpus=cpus, **common)
        finally:
            ray_constants.ENABLE_RAY_CLUSTER = saved
    try:
        yield dict(ray.cluster_resources())
    finally:
        ray.shutdown()

"""Benchmarks behind ``crosswire bench TASK``: one module per task, each with ``run(...) -> dict``."""

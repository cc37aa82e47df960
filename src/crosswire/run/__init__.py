"""Running the pipeline: one run (analyze), incremental (ingest) and Ray Data (batch)."""

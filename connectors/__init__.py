"""Channel connectors: plain Python that knows the feeds and nothing else (no Dagster here)."""

"""Dagster assets, one module per layer: raw (feeds), dbt models, published mart."""

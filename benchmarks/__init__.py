"""Benchmarks: one script per area, each printing a table. ``python -m benchmarks`` runs all."""

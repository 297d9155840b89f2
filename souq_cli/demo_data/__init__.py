"""Deterministic, realistic Arabic classified ads: `souq demo load` writes them, the benchmarks bulk-load them."""

"""Benchmarks and data generators: figures, never tests."""

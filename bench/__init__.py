"""Benchmarks and the bench data loader: figures, never tests (the ads themselves come from `souq_cli.demo_data`)."""

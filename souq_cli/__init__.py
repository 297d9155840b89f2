"""The `souq` operator command: the product's composition root (search, db, seed, demo, processes).

It ships in the image, so it never imports `devstack` (local services) or `bench`
(benchmarks) at import time: `souq stack` and `souq bench` are loaded by name, and
the commands that start the local stack import it inside the command.
"""

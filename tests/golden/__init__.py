"""Golden check --format json documents; regenerate with ``python tests/golden/regen.py``."""

"""Shared test configuration: hypothesis profiles.

``ci`` (the default) keeps the property tests fast and reproducible; select
``dev`` for a longer random search::

    HYPOTHESIS_PROFILE=dev python -m pytest tests

``fuzz`` is the long run of the command-line fuzzer (``tests/test_fuzz_cli.py``):
random, not derandomized, 1500 argument lists per command, failures kept in the
local ``.hypothesis`` database so a rerun replays them first::

    HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz_cli.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=1500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

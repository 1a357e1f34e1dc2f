"""The ``ptheorem`` command line: the typer app (:mod:`.main`) and one thin module per command.

Each command module parses its options, calls the core and hands the result to
:mod:`ptheorem.output`; nothing else.  ``ptheorem.cli:app`` is the entry point;
the app is built on first access, so importing a command module stays light.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "app":
        from ptheorem.cli.main import app

        return app
    raise AttributeError(name)

"""``ptheorem schema``: print the JSON Schema of a command's JSON output."""

from __future__ import annotations

from typing import Annotated

import typer

from ptheorem.cli.common import emit_json, registrar
from ptheorem.model.errors import InputError

EPILOG = (
    "The schema (JSON Schema draft 2020-12) accepts the command's result document or its "
    "{'error': …} document; validate with any JSON Schema validator (the test extra "
    "installs the jsonschema package)."
)
EXAMPLES = (
    "ptheorem schema",
    "ptheorem schema audit > audit.schema.json",
    "ptheorem schema verify > verify.schema.json",
)


#: The commands with a JSON document (``ptheorem.output.json.schema.SCHEMAS``, kept equal
#: by a test; listed here so --help does not import the schemas).
DOCUMENTS = ("check", "audit", "verify", "snapshot", "sweep", "search", "soft")


def schema(
    document: Annotated[
        str,
        typer.Argument(
            help="Which command's JSON output: " + ", ".join(DOCUMENTS) + ".",
            metavar="[" + "|".join(DOCUMENTS) + "]",
        ),
    ] = "check",
) -> None:
    """Print the JSON Schema of a command's JSON output (check, audit, verify, …)."""
    from ptheorem.output.json.schema import SCHEMAS

    make = SCHEMAS.get(document)
    if make is None:
        raise InputError(f"schema takes one of {', '.join(SCHEMAS)} (got {document!r})")
    emit_json(make())


register = registrar(schema, EPILOG, EXAMPLES)

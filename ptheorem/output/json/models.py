"""pydantic models of the ``verify``, ``snapshot``, ``sweep``, ``search`` and ``soft`` JSON
documents: each document is built as one of these models and dumped, and its JSON Schema
(``ptheorem schema NAME``) is generated from the same model, so the two cannot drift.

Where a part of a document is a frozen dataclass of the core (a search restart, a soft
row, the scaling fit, a certificate), the model's field *is* that dataclass: pydantic
serializes it and derives its schema from the dataclass's own fields.

Imported only where a JSON document is written or a schema printed (pydantic is not
loaded for ``--help`` or human output).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from ptheorem.audit.certificate import Certificate
from ptheorem.counterexamples.search.core import RestartRecord
from ptheorem.counterexamples.soft import ScalingFit, SoftRow
from ptheorem.model.status import Evidence, Status


class Document(BaseModel):
    """A JSON document: every key required (null where there is no value), floats as
    ``json.dumps`` writes them; extra keys are refused when building, allowed by the schema
    (a later release may add a key without breaking a consumer)."""

    model_config = ConfigDict(extra="forbid", frozen=True, ser_json_inf_nan="constants")

    def to_dict(self) -> dict[str, Any]:
        """The plain JSON data of the document."""
        return self.model_dump(mode="json")

    @classmethod
    def schema_dict(cls) -> dict[str, Any]:
        """The JSON Schema of the document (draft 2020-12), without the ``$schema`` key."""
        schema = cls.model_json_schema(ref_template="#/$defs/{model}")
        _allow_additional(schema)
        return schema


def _allow_additional(schema: Any) -> None:
    """Drop ``additionalProperties: false`` (from ``extra="forbid"``) everywhere."""
    if isinstance(schema, dict):
        if schema.get("additionalProperties") is False:
            del schema["additionalProperties"]
        for value in schema.values():
            _allow_additional(value)
    elif isinstance(schema, list):
        for value in schema:
            _allow_additional(value)


class Tool(Document):
    """Which program wrote the document."""

    name: Literal["ptheorem"]
    version: str


# --------------------------------------------------------------------------- golden files

DiffSection = Literal["config", "verdict", "S", "assumptions"]


class ConstraintKey(Document):
    """A reduced constraint, identified by its hidden units, output pair and equation."""

    units: list[Any] = Field(description="(last, first) hidden units (text if hand-edited).")
    pair: list[Any] = Field(description="The output pair (i, j).")
    equation: str = Field(description="Canonical sympy string of the reduced constraint (= 0).")


class FieldChangeModel(Document):
    """A value of the golden document (``expected``) that the new run (``actual``) changed."""

    section: DiffSection
    path: str
    kind: Literal["added", "removed", "changed"]
    expected: JsonValue
    actual: JsonValue


class Diff(Document):
    """What differs between a golden document and a new run; empty when they match."""

    matches: bool
    summary: str
    added_constraints: list[ConstraintKey]
    removed_constraints: list[ConstraintKey]
    changes: list[FieldChangeModel]


#: The routes of :data:`ptheorem.run.golden.ROUTE_METHODS` (a test keeps the two equal).
Route = Literal["general+instance", "general", "instance", "numeric", "hypothesis"]


class VerifyFile(Document):
    """One golden file, re-derived by its route and compared."""

    file: str
    key: str = Field(description="The configuration's file stem, e.g. L3_d2_w2-2_nobias.")
    method: Route = Field(description="The route the golden file records, re-run.")
    status: Literal["match", "differ", "inconclusive", "error"] = Field(
        description="inconclusive: the route could not be re-run in the budget (exit 3)."
    )
    error: str | None = Field(description="Why the file is inconclusive or an error.")
    diff: Diff | None
    seconds: float = Field(ge=0)


class VerifySummary(Document):
    """How many files matched, differed, were inconclusive or could not be re-derived."""

    files: int = Field(ge=0)
    match: int = Field(ge=0)
    differ: int = Field(ge=0)
    inconclusive: int = Field(ge=0)
    error: int = Field(ge=0)


class VerifyDocument(Document):
    """``ptheorem verify --format json``."""

    model_config = ConfigDict(title="ptheorem verify --format json")

    schema_version: str
    directory: str
    files: list[VerifyFile]
    summary: VerifySummary


class SnapshotFile(Document):
    """One golden file of the grid, and what was written."""

    file: str
    method: Route | None = Field(description="The route stored in the file; null if it failed.")
    status: str = Field(description="The verdict's status, or error / inconclusive.")
    written: Literal["created", "updated", "unchanged", "failed"]
    error: str | None


class SnapshotDocument(Document):
    """``ptheorem snapshot --format json``."""

    model_config = ConfigDict(title="ptheorem snapshot --format json")

    schema_version: str
    directory: str
    files: list[SnapshotFile]


# --------------------------------------------------------------------------- sweep

#: A sweep row's status: a verdict's, or ``error`` (see :data:`ptheorem.run.rows.STATUSES`).
SweepStatus = Status | Literal["error"]


class SweepConfig(Document):
    """One configuration of the grid."""

    depth: int = Field(ge=1)
    dim: int = Field(ge=1)
    widths: list[int]
    bias: bool
    activation: str


class SweepRow(Document):
    """One configuration's result (also one line of a ``--out rows.jsonl`` file)."""

    key: str
    config: SweepConfig
    status: SweepStatus
    method: str | None
    evidence: str | None
    seconds: float = Field(ge=0)
    error: str | None


class SweepSummary(Document):
    """Rows per status, and the sweep's wall time."""

    configurations: int = Field(ge=0)
    proved: int = Field(ge=0)
    refuted: int = Field(ge=0)
    supported: int = Field(ge=0)
    inconclusive: int = Field(ge=0)
    error: int = Field(ge=0)
    wall_seconds: float = Field(ge=0)


class SweepDocument(Document):
    """``ptheorem sweep --format json``."""

    model_config = ConfigDict(title="ptheorem sweep --format json")

    schema_version: str
    grid: str
    rows: list[SweepRow]
    skipped: int = Field(ge=0, description="Configurations already in the --resume file.")
    interrupted: bool
    out: str | None
    summary: SweepSummary


# --------------------------------------------------------------------------- search and soft


class SearchConfigModel(Document):
    """The options a search (or soft analysis) ran with."""

    depth: int = Field(ge=1)
    dim: int = Field(ge=1)
    widths: list[int]
    activation: str
    mask: str | None
    restarts: int = Field(ge=0)
    seed: int = Field(ge=0)
    min_angle: float
    dense_min: float
    max_weight: float
    points: int | None


class SoftConfig(Document):
    """The options of a soft analysis (a search's, without ``min_angle``)."""

    depth: int = Field(ge=1)
    dim: int = Field(ge=1)
    widths: list[int]
    activation: str
    mask: str | None
    restarts: int = Field(ge=0)
    seed: int = Field(ge=0)
    dense_min: float
    max_weight: float
    points: int | None


class SearchVerdict(Document):
    """What the search concluded."""

    claim: str
    status: Status
    evidence: Evidence
    summary: str
    witness_found: bool


class NetworkModel(Document):
    """A concrete network, as a network file stores it (weights as nested lists)."""

    activation: str
    beta: float | None
    weights: list[list[list[float]]]
    biases: list[list[float] | None]


class Best(Document):
    """The smallest √NAsym reached, and the network that reached it."""

    nasym_root_sample: float
    nasym_root: float
    min_angle_reached: float = Field(description="Degrees.")
    network: NetworkModel


class SearchDocument(Document):
    """``ptheorem search --format json``."""

    model_config = ConfigDict(title="ptheorem search --format json")

    schema_version: str
    tool: Tool
    command: Literal["search"]
    config: SearchConfigModel
    verdict: SearchVerdict
    best: Best
    certificate: Certificate | None
    witness_file: str | None
    restarts: list[RestartRecord]
    tolerances: dict[str, float]
    notes: list[str]
    partial: bool
    timings: dict[str, float]


class SoftVerdict(Document):
    """What the soft analysis concluded (numeric evidence only)."""

    status: Status
    evidence: Evidence
    summary: str


class SoftDocument(Document):
    """``ptheorem soft --format json``."""

    model_config = ConfigDict(title="ptheorem soft --format json")

    schema_version: str
    tool: Tool
    command: Literal["soft"]
    config: SoftConfig
    rows: list[SoftRow]
    verdict: SoftVerdict
    fit: ScalingFit | None
    fit_note: str
    partial: bool
    timings: dict[str, float]


#: The models of :data:`ptheorem.output.json.schema.SCHEMAS` beyond check and audit.
MODELS: dict[str, type[Document]] = {
    "verify": VerifyDocument,
    "snapshot": SnapshotDocument,
    "sweep": SweepDocument,
    "search": SearchDocument,
    "soft": SoftDocument,
}

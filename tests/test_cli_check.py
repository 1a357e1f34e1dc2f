"""``ptheorem check`` through typer's CliRunner: exit codes, errors, JSON, colour, --quiet."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from typing import Any

import jsonschema
import pytest
import typer
from typer.testing import CliRunner, Result

from ptheorem import __version__
from ptheorem.cli import app
from ptheorem.model.exitcodes import ExitCode

#: A neutral environment: fixed width, no colour forcing or suppression inherited.
BASE_ENV: dict[str, str | None] = {
    "COLUMNS": "80",
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "TERM": "xterm-256color",
    "PTHEOREM_DEBUG": None,
}
#: An environment in which rich *would* emit colour even into CliRunner's pipe.
COLOUR_ENV: dict[str, str | None] = {**BASE_ENV, "FORCE_COLOR": "1"}


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), env={**BASE_ENV, **(env or {})})
    # Whatever happened, no Python traceback reaches the user.
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def run_in_own_group(cmd: list[str], deadline: float) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` in a new session; on ``deadline`` kill its whole process group.

    ptheorem forks a worker for the symbolic method, so killing only the direct
    child could leave the worker running.
    """
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=deadline)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"{' '.join(cmd[2:])} did not finish within {deadline} s")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # nothing of ours may outlive the test
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def sorted_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert keys == sorted(keys), f"keys not sorted: {keys}"
    return dict(pairs)


def parse_json(text: str) -> dict[str, Any]:
    """Parse stdout as JSON, checking every object's keys are sorted."""
    return json.loads(text, object_pairs_hook=sorted_pairs)


def without_timings(text: str) -> dict[str, Any]:
    data = json.loads(text)
    data.pop("timings", None)
    return data


CHECK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "schema_version",
        "config",
        "assumptions",
        "constraints",
        "S",
        "verdict",
        "sufficiency",
        "timings",
    ],
    "properties": {
        "schema_version": {"type": "string"},
        "config": {
            "type": "object",
            "required": ["depth", "dim", "widths", "bias", "activation"],
            "properties": {
                "depth": {"type": "integer", "minimum": 1},
                "dim": {"type": "integer", "minimum": 1},
                "widths": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                "bias": {"type": "boolean"},
                "activation": {"type": "string"},
            },
        },
        "assumptions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "text"],
                "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
            },
        },
        "constraints": {
            "type": "object",
            "required": ["count", "groups"],
            "properties": {
                "count": {"type": ["integer", "null"], "minimum": 0},
                "groups": {"type": "array", "items": {"type": "object"}},
            },
        },
        "S": {"type": "object"},
        "verdict": {
            "type": "object",
            "required": ["claim", "status", "input_weights_forced_parallel", "method"],
            "properties": {
                "claim": {"type": "string"},
                "status": {"enum": ["proved", "refuted", "supported", "inconclusive"]},
                "input_weights_forced_parallel": {"type": ["boolean", "null"]},
                "method": {"type": "string"},
            },
        },
        "sufficiency": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["holds"],
                    "properties": {"holds": {"type": "boolean"}},
                },
            ]
        },
        "timings": {"type": "object", "additionalProperties": {"type": "number"}},
    },
}

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["type", "message", "exit_code"],
            "properties": {
                "type": {"type": "string"},
                "message": {"type": "string", "minLength": 1},
                "exit_code": {"enum": [2, 3]},
            },
        }
    },
}


# --- exit codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("depth", "dim"), [(1, 2), (1, 3), (2, 2), (2, 3), (3, 2), (3, 3), (4, 2), (4, 3)]
)
def test_papers_claim_exits_zero(depth: int, dim: int) -> None:
    result = run("check", "--depth", str(depth), "--dim", str(dim))
    assert result.exit_code == ExitCode.OK == 0
    assert result.stderr == ""
    assert "verdict: proved" in result.stdout


BAD_INPUT = [
    pytest.param(["--depth", "0", "--dim", "2"], "depth", id="depth-0"),
    pytest.param(["--depth", "-1", "--dim", "2"], "depth", id="depth-negative"),
    pytest.param(["--depth", "x", "--dim", "2"], "--depth", id="depth-not-int"),
    pytest.param(["--depth", "2", "--dim", "0"], "dim", id="dim-0"),
    pytest.param(["--depth", "2", "--dim", "-3"], "dim", id="dim-negative"),
    pytest.param(["--dim", "2"], "--depth", id="depth-missing"),
    pytest.param(["-L", "3", "-d", "2", "--widths", "1,2,3"], "--widths", id="widths-too-many"),
    pytest.param(["-L", "4", "-d", "2", "--widths", "1,2"], "--widths", id="widths-too-few"),
    pytest.param(["-L", "3", "-d", "2", "--widths", "0"], "widths", id="widths-zero"),
    pytest.param(["-L", "3", "-d", "2", "--widths", "2,0"], "widths", id="widths-one-zero"),
    pytest.param(["-L", "3", "-d", "2", "--widths", "-1"], "widths", id="widths-negative"),
    pytest.param(["-L", "3", "-d", "2", "--widths", "1.5"], "widths", id="widths-float"),
    pytest.param(["-L", "3", "-d", "2", "--widths", "a,b"], "widths", id="widths-text"),
    pytest.param(["-L", "1", "-d", "2", "--widths", "2"], "widths", id="widths-depth-1"),
    pytest.param(["-L", "3", "-d", "2", "--bogus"], "--bogus", id="unknown-option"),
    pytest.param(
        ["-L", "3", "-d", "2", "--show-constraints", "bogus"], "--show-constraints", id="show-bogus"
    ),
    pytest.param(
        ["-L", "3", "-d", "2", "--show-constraints", "-1"], "--show-constraints", id="show-negative"
    ),
    pytest.param(["-L", "3", "-d", "2", "--format", "xml"], "--format", id="format-unknown"),
    pytest.param(["-L", "3", "-d", "2", "--method", "bogus"], "--method", id="method-unknown"),
    pytest.param(["-L", "3", "-d", "2", "--timeout", "0"], "--timeout", id="timeout-zero"),
    pytest.param(["-L", "3", "-d", "2", "--timeout", "-1"], "--timeout", id="timeout-negative"),
    pytest.param(["-L", "3", "-d", "2", "--timeout", "nan"], "--timeout", id="timeout-nan"),
    pytest.param(["-L", "3", "-d", "2", "--activation", "bogus"], "bogus", id="activation-unknown"),
]

#: Sizes whose instance derivation the cost model puts far beyond the default budget.
OVER_BUDGET = [
    pytest.param(["-L", "3", "--dim", "40"], "--timeout", id="dim-40"),
    pytest.param(["-L", "3", "-d", "1000", "--widths", "4096"], "no budget makes", id="d-1000"),
]
#: Sizes the former hard limits refused (dim > 12, width > 12, depth > 16): now attempted.
FORMER_LIMITS = [
    pytest.param(["-L", "2", "-d", "13", "--widths", "2"], id="dim-13"),
    pytest.param(["-L", "3", "-d", "2", "--widths", "13,2"], id="width-13"),
    pytest.param(["-L", "17", "-d", "2", "--widths", "1"], id="depth-17"),
]


def _assert_one_error_line(result: Result, fragment: str) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ptheorem: error:"), lines[0]
    assert fragment in lines[0]
    return lines[0]


@pytest.mark.parametrize(("args", "fragment"), BAD_INPUT)
def test_bad_input_exits_two_with_one_error_line(args: list[str], fragment: str) -> None:
    result = run("check", *args)
    assert result.exit_code == ExitCode.USAGE == 2
    _assert_one_error_line(result, fragment)
    assert result.stdout == ""


@pytest.mark.parametrize(("args", "fragment"), OVER_BUDGET)
def test_an_instance_route_far_over_the_budget_is_not_started(
    args: list[str], fragment: str
) -> None:
    result = run("check", *args, "--method", "instance")
    assert result.exit_code == ExitCode.INCONCLUSIVE
    line = _assert_one_error_line(result, fragment)
    assert "budget" in line and ("give --timeout" in line or "the general proof" in line)
    assert result.stdout == ""


@pytest.mark.parametrize("args", FORMER_LIMITS)
def test_the_former_hard_limits_are_budgets_now(args: list[str]) -> None:
    result = run("check", *args, "--method", "instance", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    data = parse_json(result.stdout)
    jsonschema.validate(data, CHECK_SCHEMA)
    assert data["verdict"]["method"] == "symbolic"


def test_a_large_budget_admits_the_attempt_the_default_refuses() -> None:
    """-L 3 -d 20 --widths 20: ~25 s by the cost model; --timeout 1 refuses, 600 would try."""
    refused = run("check", "-L", "3", "-d", "20", "--method", "instance", "--timeout", "1")
    assert refused.exit_code == ExitCode.INCONCLUSIVE
    assert "give --timeout" in refused.stderr
    from ptheorem.model.spec import NetworkSpec
    from ptheorem.symbolic.cost import BUDGET_SLACK, check_budget, estimated_seconds

    spec = NetworkSpec(3, 20, (20, 20))
    check_budget(spec, 600)  # does not raise: the attempt would be made
    assert estimated_seconds(spec) > BUDGET_SLACK * 1


def test_auto_answers_large_sizes_from_the_general_proof() -> None:
    result = run("check", "-L", "3", "-d", "1000", "--widths", "4096", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    data = parse_json(result.stdout)
    jsonschema.validate(data, CHECK_SCHEMA)
    assert data["verdict"]["method"] == "general"
    assert data["verdict"]["status"] == "proved"
    general = data["general"]
    assert general["instantiation"]["sizes"] == {"d": 1000, "k1": 4096, "k2": 4096}
    assert general["cross_check"]["ran"] is False
    assert "budget" in general["cross_check"]["detail"]
    assert data["constraints"] == {
        "count": 4096 * 4096 * 1000 * 999 // 2,
        "groups": [],
        "derived": False,
    }


def test_absurd_depth_is_refused_cleanly() -> None:
    result = run("check", "--depth", str(10**20), "--dim", "2")
    assert result.exit_code == ExitCode.USAGE
    _assert_one_error_line(result, "depth")


@pytest.mark.parametrize(
    "args",
    [
        ["-L", "16", "-d", "3"],
        ["-L", "16", "-d", "12", "--widths", "6"],
    ],
    ids=" ".join,
)
def test_sizes_at_the_limits_finish_quickly(args: list[str]) -> None:
    """What the former limits admitted still finishes in seconds by the instance route.

    Regression: up to commit 5c6a533, ``-L 16 -d 3`` spent minutes in certify.
    """
    cmd = [sys.executable, "-m", "ptheorem", "check", *args, "-q", "--method", "instance"]
    # The symbolic budget (20 s) stops the work; the outer deadline is only a safety net.
    proc = run_in_own_group([*cmd, "--timeout", "20"], deadline=60)
    assert proc.returncode == ExitCode.OK, proc.stderr
    assert proc.stdout.startswith("proved:")


def _crash(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("simulated bug")


def test_internal_errors_exit_four_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import ptheorem.run.check

    monkeypatch.setattr(ptheorem.run.check, "run_check", _crash)
    result = run("check", "-L", "2", "-d", "2")
    assert result.exit_code == ExitCode.INTERNAL == 4
    line = _assert_one_error_line(result, "internal error")
    assert "simulated bug" in line
    assert result.stdout == ""


def test_internal_errors_in_json_are_not_labelled_usage_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ptheorem.run.check

    monkeypatch.setattr(ptheorem.run.check, "run_check", _crash)
    result = run("check", "-L", "2", "-d", "2", "--format", "json")
    assert result.exit_code == ExitCode.INTERNAL
    error = parse_json(result.stdout)["error"]
    assert error["exit_code"] == ExitCode.INTERNAL
    assert error["type"] != "UsageError"


def test_unknown_command_exits_two() -> None:
    result = run("bogus")
    assert result.exit_code == ExitCode.USAGE
    _assert_one_error_line(result, "bogus")


#: Every error case in which JSON can still be asked for (not the bad --format itself).
JSON_ERRORS = [
    pytest.param(*p.values, ExitCode.USAGE, id=p.id)
    for p in BAD_INPUT
    if "--format" not in p.values[0]
] + [
    pytest.param(
        [*p.values[0], "--method", "instance"], p.values[1], ExitCode.INCONCLUSIVE, id=p.id
    )
    for p in OVER_BUDGET
]


@pytest.mark.parametrize(("args", "fragment", "code"), JSON_ERRORS)
def test_errors_in_json_mode_are_json(args: list[str], fragment: str, code: int) -> None:
    result = run("check", *args, "--format", "json")
    assert result.exit_code == code
    _assert_one_error_line(result, fragment)
    data = parse_json(result.stdout)
    jsonschema.validate(data, ERROR_SCHEMA)
    assert data["error"]["exit_code"] == code
    assert "\x1b" not in result.stdout


# --- JSON output ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-L", "1", "-d", "3"],
        ["-L", "2", "-d", "2", "--widths", "3", "--bias"],
        ["-L", "3", "-d", "3"],
        ["-L", "4", "-d", "2", "--widths", "3,2,3"],
        ["-L", "3", "-d", "2", "--per-path"],
        ["-L", "2", "-d", "1"],
    ],
    ids=" ".join,
)
def test_json_output_has_the_documented_keys(args: list[str]) -> None:
    result = run("check", *args, "--format", "json", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    data = parse_json(result.stdout)  # also checks every object's keys are sorted
    jsonschema.validate(data, CHECK_SCHEMA)
    config = data["config"]
    assert config["depth"] == int(args[1]) and config["dim"] == int(args[3])
    assert len(config["widths"]) == config["depth"] - 1
    assert config["bias"] == ("--bias" in args)
    assert data["verdict"]["status"] == "proved"
    assert data["verdict"]["method"] == "general"
    assert data["general"]["cross_check"] == {
        "ran": True,
        "agrees": True,
        "detail": data["general"]["cross_check"]["detail"],
    }
    assert "per_path" in data["constraints"] or "--per-path" not in args
    assert isinstance(data["constraints"]["count"], int)
    assert {a["id"] for a in data["assumptions"]} == set(data["verdict"].get("assumptions", []))


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_dimension_one_leaves_parallelism_open(depth: int) -> None:
    result = run("check", "-L", str(depth), "-d", "1", "--format", "json")
    assert result.exit_code == 0
    data = parse_json(result.stdout)
    jsonschema.validate(data, CHECK_SCHEMA)
    assert data["verdict"]["status"] == "proved"
    assert data["verdict"]["input_weights_forced_parallel"] is None
    assert data["constraints"]["count"] == 0


@pytest.mark.parametrize(("depth", "parallel"), [(1, False), (2, False), (3, True), (4, True)])
def test_forced_parallel_only_beyond_one_hidden_layer(depth: int, parallel: bool) -> None:
    data = parse_json(run("check", "-L", str(depth), "-d", "2", "-f", "json").stdout)
    assert data["verdict"]["input_weights_forced_parallel"] is parallel
    assert data["sufficiency"]["holds"] is True


def test_attached_short_format_option_gives_json_errors() -> None:
    ok = run("check", "-L", "2", "-d", "2", "-fjson")
    assert ok.exit_code == 0 and parse_json(ok.stdout)["verdict"]["status"] == "proved"
    result = run("check", "-L", "0", "-d", "2", "-fjson")
    assert result.exit_code == ExitCode.USAGE
    jsonschema.validate(parse_json(result.stdout), ERROR_SCHEMA)


def test_json_is_deterministic_in_process() -> None:
    args = ["check", "-L", "3", "-d", "3", "--format", "json"]
    assert without_timings(run(*args).stdout) == without_timings(run(*args).stdout)


@pytest.mark.parametrize(
    "args",
    [["-L", "1", "-d", "3"], ["-L", "3", "-d", "3"], ["-L", "4", "-d", "2", "--per-path"]],
    ids=" ".join,
)
def test_json_is_deterministic_across_processes(args: list[str]) -> None:
    """Two fresh interpreters with different hash seeds print the same document."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        proc = subprocess.run(
            [sys.executable, "-m", "ptheorem", "check", *args, "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(without_timings(proc.stdout))
    assert outputs[0] == outputs[1]


# --- colour --------------------------------------------------------------------------------


def test_colour_is_on_when_forced() -> None:
    """Premise of the tests below: in this environment rich does emit ANSI codes."""
    result = run("check", "-L", "3", "-d", "2", env=COLOUR_ENV)
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout


@pytest.mark.parametrize(
    ("extra", "env"),
    [
        (["--no-color"], {}),
        ([], {"NO_COLOR": "1"}),
        ([], {"TERM": "dumb"}),
        (["--format", "json"], {}),
        (["--quiet", "--no-color"], {}),
    ],
    ids=["--no-color", "NO_COLOR=1", "TERM=dumb", "json", "quiet"],
)
def test_no_ansi_escapes(extra: list[str], env: dict[str, str]) -> None:
    result = run("check", "-L", "3", "-d", "2", *extra, env={**COLOUR_ENV, **env})
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "\x1b" not in result.stderr


def test_errors_carry_no_ansi_escapes() -> None:
    result = run("check", "-L", "0", "-d", "2", env=COLOUR_ENV)
    assert "\x1b" not in result.stderr + result.stdout


# --- --quiet, --version, --help ------------------------------------------------------------


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_quiet_prints_exactly_one_line(depth: int) -> None:
    result = run("check", "-L", str(depth), "-d", "2", "--quiet", "--no-color")
    assert result.exit_code == 0
    assert result.stdout.endswith("\n")
    assert len(result.stdout.splitlines()) == 1, result.stdout


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_quiet_line_is_the_verdict(depth: int) -> None:
    """On a wide terminal, the --quiet line is "<status>: <summary>" from the JSON verdict."""
    wide = {"COLUMNS": "400"}
    quiet = run("check", "-L", str(depth), "-d", "2", "-q", "--no-color", env=wide)
    data = parse_json(run("check", "-L", str(depth), "-d", "2", "-f", "json").stdout)
    verdict = data["verdict"]
    assert quiet.stdout.rstrip("\n").rstrip() == f"{verdict['status']}: {verdict['summary']}"


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ptheorem {__version__}\n"


def test_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    assert "check" in result.stdout
    assert result.stderr == ""


def test_check_help() -> None:
    result = run("check", "--help")
    assert result.exit_code == 0
    for option in ("--depth", "--dim", "--widths", "--bias", "--format", "--quiet", "--no-color"):
        assert option in result.stdout


def test_no_arguments_shows_help_as_usage_error() -> None:
    result = run()
    assert result.exit_code == ExitCode.USAGE
    assert "Usage" in result.stdout


def test_every_command_and_option_has_help_text() -> None:
    group = typer.main.get_command(app)
    assert group.help
    commands = group.commands  # type: ignore[attr-defined]
    assert "check" in commands
    for name, command in commands.items():
        assert command.help, f"command {name} has no help text"
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help, f"option {param.name} of {name} has no help text"

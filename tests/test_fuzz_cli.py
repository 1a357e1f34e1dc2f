"""Fuzz the command line: every command, arguments from its declared options and hostile values.

For each command of the typer app (read from the app itself, so a command added later is
fuzzed too) hypothesis builds argument lists from the options' declared types, mixed with
adversarial values: negative, zero, huge, fractional, Unicode digits, empty, repeated and
conflicting flags, unknown options, and paths that are directories, FIFOs, symlink loops,
non-UTF-8 names, or the hostile files of ``tests/data/hostile``.  Every run must end as:

* exit 0, 1, 3 or 5 with valid output (a JSON document in JSON mode);
* exit 2 with exactly one ``ptheorem: error:`` line on stderr, and nothing else there
  but a progress display (a JSON error document on stdout in JSON mode) — or, for a
  grid command, its result (a configuration that could not be checked);
* never exit 4 (internal error), never a traceback, never an ANSI escape (the output
  is not a terminal), never a child process or a temporary file left behind.

Runs go through typer's ``CliRunner`` in this process, in a fresh working directory
each, with a short ``--timeout`` wherever a command has one.  Profiles
(``tests/conftest.py``): ``ci`` (default) runs :data:`CI_EXAMPLES` examples per command,
derandomized; ``HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz_cli.py`` runs
the long random search (see the README, "Tests and benchmarks").
"""

from __future__ import annotations

import collections
import enum
import json
import os
import shutil
import tempfile
import time
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from hypothesis import event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.cli.main import _wants_json

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "data" / "hostile"
#: Not a terminal, no colour forced: rich must detect that by itself.
ENV = {"COLUMNS": "100", "FORCE_COLOR": None, "NO_COLOR": None, "TERM": "xterm-256color"}
#: Examples per command in the ``ci`` profile (demo is a 5 s tour: a few runs suffice).
CI_EXAMPLES = {
    "demo": 1,
    "explain": 20,
    "schema": 10,
    "search": 15,
    "soft": 12,
    "sweep": 15,
    "snapshot": 20,
    "verify": 20,
}
CI_DEFAULT = 30
#: Examples per command in the ``fuzz`` profile are the profile's ``max_examples``.
PROFILE = settings.default
FUZZING = PROFILE.max_examples > 100
#: The budget given to every command that takes ``--timeout``; a run may take this plus
#: imports and clean-up.
TIMEOUT = "1"
MAX_SECONDS = 40.0
#: Exit codes seen per command (the mix is checked: a fuzzer that only ever trips the option
#: parser would test little).
OUTCOMES: dict[str, collections.Counter[int]] = {}
COMMAND_GROUP = typer.main.get_command(app)
COMMANDS = sorted(COMMAND_GROUP.commands)  # type: ignore[attr-defined]

INTS = ["-5", "-1", "0", "1048576", "99999999999999999999", "1.5", "٣", "¹", "", "0x10", "1e3"]
FLOATS = ["0", "-1", "nan", "inf", "-inf", "1e308", "1e-300", "٣", "", "abc", "0.5"]
TEXT = ["", " ", "٣", "¹", "x", "-", "--", "\t", "a" * 300, "blocks:", "blocks:٣"]


# --------------------------------------------------------------------------- the world


def _make_world(root: Path) -> dict[str, list[str]]:
    """Files the fuzzer points at: valid ones, hostile ones and special paths (absolute)."""
    import importlib.util

    from ptheorem.io.netfile import save_network
    from ptheorem.numeric.network import ConcreteNetwork

    spec = importlib.util.spec_from_file_location("hostile_make", HOSTILE / "make.py")
    assert spec is not None and spec.loader is not None
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    special = root / "special"
    special.mkdir()
    specials = [e["file"] for e in maker.make_special(special)]
    rng = np.random.default_rng(0)
    nets = []
    for k, (act, shape) in enumerate([("tanh", (3, 2, (2, 2))), ("square", (3, 2, (3, 1)))]):
        from ptheorem.model.spec import NetworkSpec

        net = ConcreteNetwork.random(NetworkSpec(*shape), act, rng)  # type: ignore[arg-type]
        for suffix in (".json", ".npz"):
            nets.append(str(save_network(net, root / f"net{k}{suffix}")))
    golden = root / "golden"
    result = CliRunner().invoke(
        app, ["snapshot", str(golden), "--grid", "depth=1..3,dim=2", "--jobs", "1"], env=ENV
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    goldens = sorted(str(p) for p in golden.glob("*.json"))
    copies = root / "hostile"  # copies: a run with --force may overwrite what it is given
    shutil.copytree(HOSTILE, copies, ignore=shutil.ignore_patterns("make.py", "__pycache__"))
    hostile = sorted(str(p) for p in copies.iterdir())
    return {
        "nets": nets,
        "goldens": goldens,
        "golden_dir": [str(golden)],
        "hostile": hostile,
        "special": specials,
        # Never outside ``root``: snapshot creates a missing directory, with its parents.
        "missing": [str(root / "absent.json"), str(root / "absent.npz"), str(root / "no/x.json")],
    }


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, list[str]]]:
    root = Path(tempfile.mkdtemp(prefix="ptheorem-fuzz-"))
    try:
        yield _make_world(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- strategies


def _base_type(param: Any) -> Any:
    ann = param.type_descriptor.annotation
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    return args[0] if args else ann


def _pick(valid: list[str], *hostile: list[str]) -> st.SearchStrategy[str]:
    """A plausible value four times in five, a hostile one otherwise."""
    bad = [v for pool in hostile for v in pool]
    if not bad:
        return st.sampled_from(valid)
    return _one_in(5).flatmap(lambda rare: st.sampled_from(bad if rare else valid))


def _one_in(n: int) -> st.SearchStrategy[bool]:
    """True with probability 1/n (``sampled_from`` draws uniformly; small integers would not)."""
    return st.sampled_from(range(n)).map(lambda k: k == 0)


def _pools(command: str, name: str, world: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(plausible, hostile) values of the option called ``name``, or ([], []) if unknown."""
    paths = world["hostile"] + world["special"] + world["missing"]
    searching = command in ("search", "soft")
    table: dict[str, tuple[list[str], list[str]]] = {
        "depth": (["3", "4"] if searching else ["1", "2", "3", "3", "4"], INTS),
        "dim": (["2", "2", "3"] if searching else ["1", "2", "2", "3"], INTS),
        "widths": (["2", "3", "2,3", "3,1", "1", "4"], ["0", "-1", "٣", "x", ",", "2,,3", *TEXT]),
        "activation": (
            ["tanh", "square", "relu", "linear", "swish:1.5", "gelu", "cube"]
            + ([] if searching else ["generic", "generic"]),
            ["bogus", "swish:٣", "swish:-1", "tanh:2", "", "swish:nan", *TEXT],
        ),
        "mask": (["blocks:2", "blocks:1"], ["blocks:0", "blocks:٣", "blocks:", *paths]),
        "grid": (
            [
                "depth=1..2,dim=2",
                "L=1;d=2|3",
                "depth=3,dim=2,activation=tanh|square",
                "depth=2..3,dim=2,bias=no|yes",
            ],
            [
                "depth=2,dim=1..3,widths=¹",
                "",
                "depth=2",
                "depth=1..99999,dim=2",
                "dim=٣",
                "depth=3,dim=2,bias=maybe",
                "depth=2,dim=2,depth=3",
                "depth=2..1,dim=2",
                *TEXT,
            ],
        ),
        "method": (["auto", "symbolic", "numeric"], ["magic", "", *TEXT]),
        "show_constraints": (["0", "3", "all"], ["-1", "٣", "x", *TEXT]),
        "angles": (["90,10", "45", "20,5"], ["٣", "", "0", "91", "1,1", "x", *TEXT]),
        "compare": (["2,3", "1,2"], ["2,x", "1,2,3", "٢,٣", "", *TEXT]),
        "jobs": (["1", "2"], ["0", "-1", "99999999999999999999"]),
        # No cluster here: addresses that fail at once (an unreachable one takes 5 s).
        "scheduler": (["nonsense", "foo://host:1"], ["", " ", "tcp://", *TEXT]),
        "restarts": (["1", "2"], ["0", "-1"]),
        "points": (["8", "64"], ["0", "-1", "1"]),
        "max_paths": (["1", "16"], ["0", "-1"]),
        "seed": (["0", "7"], ["-5", "-1", "99999999999999999999", "٣"]),
        "timeout": (["1", "2", "0.5"], ["0", "-1", "nan", "٣", ""]),
        "min_angle": (["10", "30"], FLOATS),
        "dense_min": (["0.25", "0"], FLOATS),
        "max_weight": (["2"], FLOATS),
        "net": (world["nets"], paths),
        "expect": (world["goldens"], [*paths, *TEXT]),
        "resume": (["rows.jsonl", "rows.csv"], [*paths, *TEXT]),
        "out": (["rows.jsonl", "rows.csv"], ["rows.txt", *paths, *TEXT]),
        "witness": (["w.json", "w.npz"], ["w.txt", "existing.json", *paths, *TEXT]),
        "export": (["notes.md", "notes.tex", "notes.svg"], ["notes.pdf", "existing.md", *paths]),
        "document": (["check", "audit"], ["search", "", *TEXT]),
        "directory": (
            world["golden_dir"] + ["golden"] if command == "verify" else ["gold", "golden"],
            world["special"] + world["missing"] + ["."],
        ),
    }
    return table.get(name, ([], []))


def _value(
    command: str, param: Any, world: dict[str, list[str]], clean: bool = False
) -> st.SearchStrategy[str]:
    """Values for one option or argument: plausible ones by its name, hostile ones by its
    type too; only plausible ones when ``clean`` (half the lists are, to reach real work)."""
    valid, hostile = _pools(command, param.name, world)
    if valid:
        return st.sampled_from(valid) if clean else _pick(valid, hostile)
    kind = _base_type(param)  # an option nobody told the fuzzer about: its type decides
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _pick([str(e.value) for e in kind], [] if clean else ["xml", ""])
    if kind is int:
        return _pick([str(k) for k in range(0, 5)], [] if clean else INTS)
    if kind is float:
        return _pick(["0.5", "1", "2"], [] if clean else FLOATS)
    paths = world["hostile"] + world["special"] + world["missing"]
    return _one_in(2).flatmap(
        lambda rare: st.text(max_size=12) if rare else st.sampled_from(TEXT + paths)
    )


def _has_timeout(cmd: Any) -> bool:
    return any(p.name == "timeout" for p in cmd.params)


@st.composite
def argv(draw: st.DrawFn, command: str, world: dict[str, list[str]]) -> list[str]:
    """One argument list for ``command``."""
    cmd = COMMAND_GROUP.commands[command]  # type: ignore[attr-defined]
    clean = draw(_one_in(2))
    groups: list[list[str]] = []
    for param in cmd.params:
        if param.param_type_name == "argument":
            if param.required or draw(_one_in(2)):
                if not draw(_one_in(20)):  # now and then a required one is missing
                    groups.append([draw(_value(command, param, world, clean))])
            continue
        if param.name == "timeout":
            continue  # given below, short
        flags = [*param.opts, *param.secondary_opts]
        if getattr(param, "is_flag", False):
            if draw(_one_in(4)):
                groups.append([draw(st.sampled_from(flags))])
            continue
        wanted = param.required and not draw(_one_in(20))
        if wanted or draw(_one_in(4)):
            value = draw(_value(command, param, world, clean))
            groups.append([draw(st.sampled_from(param.opts)), value])
    if clean:
        return [
            command,
            *(["--timeout", TIMEOUT] if _has_timeout(cmd) else []),
            *[a for g in draw(st.permutations(groups)) for a in g],
        ]
    if draw(_one_in(6)) and groups:  # a repeated option (the last one wins)
        groups.append(list(draw(st.sampled_from(groups))))
    if draw(_one_in(10)):  # conflicting or unknown options
        groups.append(
            draw(
                st.sampled_from(
                    [
                        ["--bias", "--no-bias"],
                        ["-q", "-f", "json"],
                        ["--frobnicate"],
                        ["extra"],
                        ["--help"],
                    ]
                )
            )
        )
    if draw(_one_in(3)):
        groups.append(["--format", "json"])
    ordered = draw(st.permutations(groups))
    out = [command]
    if _has_timeout(cmd):
        out += ["--timeout", TIMEOUT]  # first, so a drawn --timeout (later) wins
        if draw(_one_in(6)):
            out += [
                "--timeout",
                draw(_value(command, next(p for p in cmd.params if p.name == "timeout"), world)),
            ]
    for group in ordered:
        out += group
    return out


# --------------------------------------------------------------------------- the contract


def _live_children() -> list[int]:
    """PIDs of this process's children that are still running (zombies do not count)."""
    me, out = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me and fields[0] != "Z":
            out.append(int(entry))
    return out


def _temporaries(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob(".*.ptheorem-*.tmp")]


def check_contract(args: list[str], code: int, out: str, err: str) -> None:
    """The rules every run obeys (see the module doc)."""
    where = (
        f"ptheorem {' '.join(map(repr, args))}\nexit {code}\n"
        f"stdout {out[-800:]!r}\nstderr {err[-800:]!r}"
    )
    assert code != 4, f"internal error\n{where}"
    assert code in (0, 1, 2, 3, 5, 130), where
    assert "Traceback" not in out + err, where
    assert "\x1b[" not in out + err, f"ANSI escape in non-terminal output\n{where}"
    # --help is shown unless an earlier usage error won (then a JSON error, with --format json)
    help_shown = out.startswith("Usage:") or ("--help" in args and not out.lstrip().startswith("{"))
    error_lines = [line for line in err.splitlines() if line.startswith("ptheorem: error:")]
    doc: Any = None
    if _wants_json(args) and not help_shown:
        doc = json.loads(out)  # one JSON document, nothing else
        assert isinstance(doc, dict), where
        out.encode("utf-8")
    is_error = (doc is not None and "error" in doc) or (doc is None and not out.strip())
    if code == 2 and is_error:
        assert len(error_lines) == 1, where
        assert err.splitlines()[-1].startswith("ptheorem: error:"), where
        if doc is not None:
            assert doc["error"]["exit_code"] == 2, where
    elif code == 2:
        assert args[0] in ("sweep", "snapshot", "verify"), where  # a row could not be checked
    if code in (0, 1, 5) and not help_shown:
        assert out.strip() or args[0] == "schema", where
        assert not error_lines, where
    if doc is not None and "error" in doc:
        assert doc["error"]["exit_code"] == code, where


def _run(args: list[str], world: dict[str, list[str]]) -> None:
    cwd = os.getcwd()
    scratch = Path(tempfile.mkdtemp(prefix="ptheorem-fuzz-run-"))
    try:
        (scratch / "existing.json").write_text("{}\n")
        (scratch / "existing.md").write_text("mine\n")
        shutil.copytree(world["golden_dir"][0], scratch / "golden")
        os.chdir(scratch)
        start = time.monotonic()
        result = CliRunner().invoke(app, args, env=ENV)
        elapsed = time.monotonic() - start
        event(f"exit {result.exit_code}")
        OUTCOMES.setdefault(args[0], collections.Counter())[result.exit_code] += 1
        if os.environ.get("FUZZ_SHOW"):
            print(result.exit_code, args, result.stderr.strip().splitlines()[-1:])
        check_contract(args, result.exit_code, result.stdout, result.stderr)
        assert elapsed < MAX_SECONDS, f"{args} took {elapsed:.1f} s"
        assert not _live_children(), f"{args} left child processes {_live_children()}"
        assert not _temporaries(scratch, Path(world["golden_dir"][0])), args
        assert (scratch / "existing.md").read_text() == "mine\n", f"{args} overwrote a file"
    finally:
        os.chdir(cwd)
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.mark.parametrize("command", COMMANDS)
def test_fuzz_every_command(command: str, world: dict[str, list[str]]) -> None:
    if FUZZING:  # the demo is a fixed 5 s tour: a few dozen of its runs say enough
        examples = PROFILE.max_examples // (30 if command == "demo" else 1)
    else:
        examples = CI_EXAMPLES.get(command, CI_DEFAULT)

    @settings(max_examples=examples)
    @given(args=argv(command, world))
    def run(args: list[str]) -> None:
        _run(args, world)

    run()
    seen = OUTCOMES.get(command, collections.Counter())
    print(f"{command}: exit codes {dict(sorted(seen.items()))}")


def test_the_committed_corpus_is_untouched(world: dict[str, list[str]]) -> None:
    """The fuzzer works on copies; the committed corpus still matches its manifest."""
    expected = json.loads((HOSTILE / "expected.json").read_text("utf-8"))
    for entry in expected:
        assert (HOSTILE / entry["file"]).is_file()
    assert not _temporaries(HOSTILE)

"""Package metadata: what pip and PyPI show, the typing marker, and the changelog's shape."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ptheorem.model.version import __version__

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def test_the_project_names_its_authors_links_and_classifiers() -> None:
    assert PROJECT["authors"] and all(a.get("name") for a in PROJECT["authors"])
    assert all(url.startswith("https://") for url in PROJECT["urls"].values())
    classifiers = PROJECT["classifiers"]
    assert "Typing :: Typed" in classifiers
    assert "License :: OSI Approved :: MIT License" in classifiers and PROJECT["license"] == {
        "text": "MIT"
    }
    # the Python versions listed are the ones requires-python admits
    low = tuple(int(p) for p in PROJECT["requires-python"].removeprefix(">=").split("."))
    listed = [
        tuple(int(p) for p in c.rsplit(" :: ", 1)[1].split("."))
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert listed and all(v >= low for v in listed)


def test_py_typed_is_shipped() -> None:
    assert (ROOT / "ptheorem" / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["ptheorem"]


def test_the_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\](.*)$", text, flags=re.M)
    assert versions and versions[0][0] == "Unreleased"
    for name, rest in versions[1:]:
        assert re.fullmatch(r"\d+\.\d+\.\d+", name), name
        assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", rest), rest
    released = [name for name, _ in versions[1:]]
    # the version the package reports is released and listed, or not yet released at all
    assert __version__ in released or not released
    for heading in re.findall(r"^### (.*)$", text, flags=re.M):
        assert re.match(r"(Added|Changed|Deprecated|Removed|Fixed|Security)\b", heading), heading

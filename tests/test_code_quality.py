"""The project's own code stays clean: ruff (lint and format) and mypy --strict, as configured in pyproject.toml."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=300, check=False)


def test_ruff_lint_and_format() -> None:
    lint = run("ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout
    fmt = run("ruff", "format", "--check", ".")
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_strict() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout


def test_modules_import_only_those_above_them_in_the_readme_map() -> None:
    """The README's module table is the pipeline order; imports may only point up it."""
    table = re.findall(r"^\| `(\w+)\.py` \|", (REPO / "README.md").read_text(), re.M)
    modules = {p.stem for p in (REPO / "src/propgen").glob("*.py")} - {"__init__", "__main__"}
    assert set(table) == modules, "every module has one row in README.md's map"
    upward = [
        (module, dep)
        for index, module in enumerate(table)
        for dep in re.findall(r"^from \.(\w+) import", (REPO / f"src/propgen/{module}.py").read_text(), re.M)
        if dep in table and table.index(dep) >= index
    ]
    assert upward == []

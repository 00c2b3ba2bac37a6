"""The project's own code stays clean: ruff (lint and format) and mypy --strict, as configured in pyproject.toml."""

from __future__ import annotations

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

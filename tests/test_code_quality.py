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
    """The README's module table is the pipeline order; imports may only point up it. A
    subpackage has a row per module (`proposals/quote.py`), its public face included
    (`proposals/__init__.py`), which is what `from .proposals import` depends on."""
    table = re.findall(r"^\| `([\w/]+)\.py` \|", (REPO / "README.md").read_text(), re.M)
    package = REPO / "src/propgen"
    modules = {p.relative_to(package).with_suffix("").as_posix() for p in package.rglob("*.py")} - {"__init__", "__main__"}
    assert set(table) == modules, "every module has one row in README.md's map"

    def resolve(module: str, dots: str, name: str) -> str:
        base = module.split("/")[: -len(dots)] if "/" in module or len(dots) > 1 else []
        path = "/".join([*base, *name.split(".")]) if name else "/".join(base)
        return path if path in modules else f"{path}/__init__"

    upward = [
        (module, dep)
        for index, module in enumerate(table)
        for dots, name in re.findall(r"^from (\.+)([\w.]*) import", (package / f"{module}.py").read_text(), re.M)
        if (dep := resolve(module, dots, name)) in table and table.index(dep) >= index
    ]
    assert upward == []

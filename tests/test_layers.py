"""The layers of model/ (pyproject's import-linter contract), checked without import-linter too.

Every import in model/ — at any depth, also inside functions, where an upward
import hides — goes to the same layer or one below it.  The probe test shows
the check is not vacuous: ``model.audit`` importing ``model.cli`` is caught.
"""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "model"


def layers() -> list[list[str]]:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in conf["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [[m.strip() for m in layer.replace("|", ":").split(":")] for layer in contract["layers"]]


def layer_of(module: str, table: list[list[str]]) -> int | None:
    for i, layer in enumerate(table):
        if any(module == m or module.startswith(m + ".") for m in layer):
            return i
    return None


def imported(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute module) of every model import in ``path``."""
    rel = path.relative_to(ROOT).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:
                    out += [(node.lineno, f"{mod}.{a.name}") for a in node.names]
                    continue
            else:
                mod = node.module or ""
            out.append((node.lineno, mod))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return [(n, m) for n, m in out if m.split(".")[0] == "model"]


def violations(path: Path, table: list[list[str]], source: str | None = None) -> list[str]:
    me = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    mine = layer_of(me, table)
    bad = []
    for line, mod in imported(path, source):
        theirs = layer_of(mod, table)
        if mine is not None and theirs is not None and theirs < mine:
            bad.append(f"{path.relative_to(ROOT)}:{line} {me} imports {mod} (a layer above)")
    return bad


def test_every_model_module_is_in_a_layer():
    table = layers()
    for path in MODEL.rglob("*.py"):
        mod = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if mod != "model":
            assert layer_of(mod, table) is not None, f"{mod} is in no layer of pyproject.toml"


def test_no_upward_imports_even_inside_functions():
    table = layers()
    bad = [v for p in sorted(MODEL.rglob("*.py")) for v in violations(p, table)]
    assert not bad, "\n".join(bad)


def test_the_check_catches_the_old_cycle():
    table = layers()
    audit = MODEL / "audit.py"
    probe = "def f():\n    from .cli import attach_baseline\n"
    assert violations(audit, table, probe) == [
        "model/audit.py:2 model.audit imports model.cli (a layer above)"]


def test_a_lazy_pattern_is_the_compiled_pattern_once_used():
    import re

    from model.lazyre import lazy
    p = lazy(r"^(\d+)年$")
    assert "match" not in vars(p)                     # nothing compiled at import
    assert p.match("2024年").group(1) == "2024"
    assert vars(p)["match"] == re.compile(r"^(\d+)年$").match     # bound: no cost per call
    assert p.sub("X", "2024年") == "X" and p.pattern == r"^(\d+)年$"
    b = lazy(rb"<\s*html\b", re.IGNORECASE)
    assert b.search(b"<HTML>") and b.flags & re.IGNORECASE

"""The core contract: ``model/`` is plain Python and never imports Qt or ``gui``.

Checked two ways: statically (every import statement in model/, including
ones inside functions) and dynamically (importing every model module in a
fresh interpreter loads no Qt module).
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "model"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "gui")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def test_model_sources_never_import_qt_or_gui():
    bad = []
    for path in sorted(MODEL.rglob("*.py")):
        for lineno, name in _imports(path):
            if name.split(".")[0] in FORBIDDEN:
                bad.append(f"{path.relative_to(ROOT)}:{lineno} imports {name}")
    assert not bad, "model/ must stay plain Python:\n" + "\n".join(bad)


def test_static_check_catches_a_violation(tmp_path):
    """The check above is not vacuous: it sees imports at any depth."""
    f = tmp_path / "bad.py"
    f.write_text("def f():\n    from PySide6 import QtCore\n    import gui.app\n", encoding="utf-8")
    names = [n for _, n in _imports(f)]
    assert "PySide6" in names and "gui.app" in names


def test_importing_every_model_module_loads_no_qt():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in MODEL.rglob("*.py"))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'gui'))\n"
        "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"model modules pulled in Qt/gui: {out.stdout}"


def test_one_jinja_environment():
    """Every template (exports, the audit summary, the comparison page) is drawn through
    model/render/env.py: one sandbox, one user template folder, one set of Chinese errors."""
    builders = []
    for path in sorted(MODEL.rglob("*.py")):
        if path == MODEL / "render" / "env.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("Environment", "SandboxedEnvironment"):
                builders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert builders == []

"""What the real start-up path (``main.main`` as ``uv run main.py [FILE]`` runs it) has
loaded when its first window paints (issue 12: start-up within 1.5× a bare window).

Each case is a fresh process: the start screen must not load the main window's modules,
no reader, template engine or office library; opening a project file loads no reader
either, and the main window's first paint has the file in it; neither window touches
PySide6's ``Qt`` namespace or an enum-heavy dialog class before it paints; PySide6 reads the source
of none of the program's or the standard library's modules (gui.app answers its
``__feature__`` scan); and both windows still appear and work (the start screen's
choice opens the main window; a damaged file on the command line still shows the
window with the reason; a slow read shows it after a moment, the read under way)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from model import paths

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import main
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

HEAVY = ("gui.main_window", "gui.table_view", "gui.text_page", "gui.export", "model.rules",
         "model.render", "model.importers.docx", "model.importers.html", "model.importers.xlsx",
         "model.importers.text", "model.cli", "jinja2", "openpyxl", "docx",
         "pypdfium2")

DEFERRED = ("model.changes", "model.baseline", "model.findings", "gui.commands", "gui.problems",
            "gui.import_dialog", "gui.autosave", "uuid",
            "socket", "getpass",          # the lock's host and user come from os (model.files, model.lock)
            "hashlib")                    # a file's stamp hashes its bytes when first compared

def loaded():
    return sorted(m for m in sys.modules if m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY)))

# the modules whose source PySide6 reads (looking for "PySide6", for ``__feature__``)
# once gui.app has given it the answer (a module named after that point)
scanned = []
_feature = sys.modules["shibokensupport.feature"]
_scan = _feature._mod_uses_pyside
def _spy_scan(module):
    if hasattr(sys.modules.get("gui.app"), "ORGANIZATION"):     # defined after the answer
        scanned.append(getattr(module, "__name__", "?"))
    return _scan(module)
_feature._mod_uses_pyside = _spy_scan

def own_scanned():
    return sorted({m for m in scanned if m.partition(".")[0] in ("gui", "model")
                   or m in sys.stdlib_module_names})

class Spy(QObject):
    def __init__(self, then):
        super().__init__()
        self.then = then
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            out.setdefault("touched", touched())    # (QTimer.singleShot itself touches Qt)
            if type(obj).__name__ == "MainWindow":
                # what the first paint of the window does not need, loaded right after it
                out.setdefault("deferred", sorted(m for m in DEFERRED if m in sys.modules))
            obj.removeEventFilter(self)
            QTimer.singleShot(0, lambda: self.then(obj))
        return False

out = {}

def touched():
    # PySide6 builds a class's enums the first time the class is touched (``Qt``: ≈ 90)
    import PySide6.QtCore, PySide6.QtWidgets
    return sorted([n for n in ("Qt",) if n in vars(PySide6.QtCore)]
                  + [n for n in ("QMessageBox", "QFileDialog", "QDialogButtonBox", "QStyle")
                     if n in vars(PySide6.QtWidgets)])
def main_window_painted(w):
    out.setdefault("first", loaded())
    out.setdefault("scanned", own_scanned())
    out["file"] = str(w.doc.path) if w.doc.path is not None else None
    out["window"] = type(w).__name__
    print("PROBE " + json.dumps(out), flush=True)
    QApplication.instance().exit(0)

def dialog_painted(dlg):
    out["first"] = loaded()
    out["scanned"] = own_scanned()
    out["model"] = sorted(m for m in sys.modules if m.startswith("model."))
    out["dialog"] = type(dlg).__name__
    dlg.choose_example()

spies = []
_show, _exec = QWidget.show, QDialog.exec
def show(self):
    if self.isWindow() and type(self).__name__ == "MainWindow":
        spies.append(Spy(main_window_painted))
        self.installEventFilter(spies[-1])
    _show(self)
def dialog_exec(self):
    if type(self).__name__ == "StartDialog":
        spies.append(Spy(dialog_painted))
        self.installEventFilter(spies[-1])
    return _exec(self)
QWidget.show = show
QDialog.exec = dialog_exec
main.main(sys.argv[2:])
"""


def _run(tmp_path: Path, code: str, args: list[str], marker: str):
    """Run ``code`` as the real start-up in a fresh process (offscreen, settings in
    ``tmp_path``); the process and the JSON of each line it printed after ``marker``."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    script = tmp_path / f"{marker.lower()}.py"
    script.write_text(code, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(ROOT), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(marker + " ")]
    assert lines, f"exit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc, [json.loads(ln[len(marker) + 1:]) for ln in lines]


def _probe(tmp_path: Path, args: list[str]) -> dict:
    return _run(tmp_path, PROBE, args, "PROBE")[1][-1]


def test_start_screen_paints_before_the_main_window_is_loaded_and_then_opens_it(tmp_path):
    out = _probe(tmp_path, [])
    assert out["dialog"] == "StartDialog"
    assert out["first"] == [], out["first"]
    assert out["scanned"] == [], out["scanned"]     # gui.app answered PySide6's source scan
    assert out["touched"] == [], out["touched"]     # no enum-heavy class before the first paint
    # neither the project files module nor the schema: the screen needs the readers' names
    assert out["model"] == ["model.errors", "model.importers", "model.lazyre", "model.paths"], \
        out["model"]
    assert out["window"] == "MainWindow"       # the start screen's choice opened the window


def test_opening_a_project_file_loads_no_reader_before_the_first_paint(tmp_path):
    report = tmp_path / "例子.nianbao"
    report.write_bytes(paths.EXAMPLE_REPORT.read_bytes())
    out = _probe(tmp_path, [str(report)])
    assert out["window"] == "MainWindow"
    assert [m for m in out["first"] if m != "gui.main_window"] == [], out["first"]
    assert out["scanned"] == [], out["scanned"]
    assert out["deferred"] == [], out["deferred"]
    # nor PySide6's Qt namespace (≈ 90 enums, gui.early), QMessageBox, QFileDialog or QStyle
    assert out["touched"] == [], out["touched"]
    # the window's first paint has the file in it (it is shown once the file has been read)
    assert out["file"] == str(report.resolve())


WARNED = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import main
from PySide6.QtWidgets import QApplication, QMessageBox

def warning(parent, title, text, *args):
    # the window opened on a damaged file: shown, empty, with the warning over it
    print("WARNED " + json.dumps({"visible": parent.isVisible(), "title": title, "text": text,
                                  "path": None if parent.doc.path is None else str(parent.doc.path)}),
          flush=True)
    QApplication.instance().exit(0)
    return QMessageBox.StandardButton.Ok
QMessageBox.warning = staticmethod(warning)
main.main(sys.argv[2:])
"""


def test_a_damaged_project_file_on_the_command_line_still_shows_the_window_and_says_why(tmp_path):
    bad = tmp_path / "坏.nianbao"
    bad.write_text("{ 这不是项目文件", encoding="utf-8")
    proc, outs = _run(tmp_path, WARNED, [str(bad)], "WARNED")
    out = outs[0]
    assert out["visible"] and out["path"] is None
    assert out["title"] == "无法打开" and "坏.nianbao" in out["text"], out
    assert "Traceback" not in proc.stderr


SLOW = r"""
import json, sys, threading
sys.path.insert(0, sys.argv[1])
import main
import gui.background as bg
from PySide6.QtWidgets import QApplication, QWidget

release = threading.Event()
_read = bg.read_project_file
def slow_read(path):
    release.wait(30)                    # a file on a slow disk: still reading when shown
    return _read(path)
bg.read_project_file = slow_read

_show = QWidget.show
def show(self):
    if type(self).__name__ == "MainWindow" and not getattr(self, "_probed", False):
        self._probed = True
        print("SHOWN " + json.dumps({"reading": self.reading(), "path": self.doc.path}), flush=True)
        release.set()
        self.readEnded.connect(lambda: QApplication.instance().exit(0))
    _show(self)
QWidget.show = show
main.main(sys.argv[2:])
"""


def test_a_slow_read_shows_the_window_after_a_moment_with_the_read_under_way(tmp_path):
    report = tmp_path / "慢.nianbao"
    report.write_bytes(paths.EXAMPLE_REPORT.read_bytes())
    proc, outs = _run(tmp_path, SLOW, [str(report)], "SHOWN")
    assert outs[0] == {"reading": True, "path": None}
    assert proc.returncode == 0, proc.stderr[-2000:]


LOCKED = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import main
import gui.lock_dialog as ld
from PySide6.QtWidgets import QApplication

def choose(parent, title, text, choices, default, **kw):
    # the question about a file open elsewhere: asked over the painted window, with the file
    print("ASKED " + json.dumps({"title": title, "painted": parent._first_painted,
                                 "path": str(parent.doc.path)}), flush=True)
    QApplication.instance().exit(0)
    return default
ld.choose = choose
main.main(sys.argv[2:])
"""


def test_a_file_open_elsewhere_is_said_once_the_window_has_painted_with_it(tmp_path):
    from model import lock
    report = tmp_path / "别处.nianbao"
    report.write_bytes(paths.EXAMPLE_REPORT.read_bytes())
    held, _holder = lock.acquire(report)          # this process holds it (alive, another pid)
    assert held is not None
    try:
        _proc, outs = _run(tmp_path, LOCKED, [str(report)], "ASKED")
    finally:
        held.release()
    out = outs[0]
    assert out == {"title": "文件已在别处打开", "painted": True, "path": str(report.resolve())}, out

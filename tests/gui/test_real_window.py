"""The real app (``main.py``) in a real X server (Xvfb), not the offscreen platform:
the window and its frame fit a 1366×768 screen, and a 1920×1080 screen at 150 %.

Skips cleanly when Xvfb (or the xcb libraries Qt needs) is not installed.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model import project
from tests.gui.test_document import consistent_report

ROOT = Path(__file__).resolve().parents[2]

# Runs main.main() as `uv run main.py FILE` does; when the window has shown and
# settled, prints its frame and the screen's available area, then quits.
PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
import main

_exec = QApplication.exec

def report():
    app = QApplication.instance()
    wins = [w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow()]
    out = []
    for w in wins:
        f = w.frameGeometry()
        a = w.screen().availableGeometry()
        out.append({"class": type(w).__name__, "title": w.windowTitle(),
                    "frame": [f.x(), f.y(), f.width(), f.height()],
                    "avail": [a.x(), a.y(), a.width(), a.height()],
                    "min": [w.minimumSizeHint().width(), w.minimumSizeHint().height()]})
    print("PROBE " + json.dumps(out, ensure_ascii=False), flush=True)
    for w in wins:
        if isinstance(w, QDialog):
            w.reject()
    app.exit(0)

def patched(self=None):
    QTimer.singleShot(1500, report)
    return _exec()

_dialog_exec = QDialog.exec

def dialog_patched(self):
    QTimer.singleShot(1500, report)
    return _dialog_exec(self)

QApplication.exec = staticmethod(patched)
QDialog.exec = dialog_patched
sys.exit(main.main(sys.argv[2:]))
"""


def _xvfb_ready(display: str, proc: subprocess.Popen) -> bool:
    sock = Path(f"/tmp/.X11-unix/X{display.lstrip(':')}")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if sock.exists():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def xvfb():
    """Start Xvfb with a given screen size; yields a function returning the DISPLAY."""
    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    procs: list[subprocess.Popen] = []

    def start(width: int, height: int) -> str:
        for n in range(140, 200):
            if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
                break
        display = f":{n}"
        proc = subprocess.Popen([exe, display, "-screen", "0", f"{width}x{height}x24", "-nolisten",
                                 "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(proc)
        if not _xvfb_ready(display, proc):
            pytest.skip("Xvfb did not start")
        return display

    yield start
    for p in procs:
        p.terminate()
        p.wait(10)


def _probe(display: str, tmp_path: Path, args: list[str], scale: str | None = None) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(ROOT), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("PROBE ")]
    if not lines and "could not connect to display" in proc.stderr + proc.stdout or \
            not lines and "xcb" in proc.stderr and "library" in proc.stderr:
        pytest.skip("Qt's xcb platform cannot start here: " + proc.stderr[-300:])
    assert lines, f"exit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return json.loads(lines[-1][len("PROBE "):])


def _fits(win: dict) -> None:
    x, y, w, h = win["frame"]
    ax, ay, aw, ah = win["avail"]
    assert ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah, win


@pytest.mark.parametrize(("size", "scale"), [((1366, 768), None), ((1920, 1080), "1.5")])
def test_window_with_file_fits_the_screen(xvfb, tmp_path, size, scale):
    path = tmp_path / "本年.nianbao"
    project.save(consistent_report(), path)
    display = xvfb(*size)
    wins = _probe(display, tmp_path, [str(path)], scale)
    main = [w for w in wins if w["class"] == "MainWindow"]
    assert main and main[0]["title"].startswith("本年.nianbao"), wins   # FILE was opened
    for w in wins:
        _fits(w)


@pytest.mark.parametrize(("size", "scale"), [((1366, 768), None), ((1920, 1080), "1.5")])
def test_start_screen_fits_the_screen(xvfb, tmp_path, size, scale):
    display = xvfb(*size)
    wins = _probe(display, tmp_path, [], scale)
    assert [w["class"] for w in wins] == ["StartDialog"], wins
    for w in wins:
        _fits(w)

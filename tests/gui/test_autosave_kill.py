"""Autosave survives a crash: SIGKILL the app while it autosaves, recovery gets the work.

A child process runs a real ReportDocument with an Autosaver (offscreen), types
a new figure and autosaves, over and over; the test kills it at random moments.
After every kill, the autosave found on disk must load whole and hold the work
as it was at one of the autosaves the child reported (or the one in flight).
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gui.autosave import find_autosave

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import os, sys
sys.path.insert(0, sys.argv[2])
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui.autosave import Autosaver
from gui.document import ReportDocument
from model.example import build
doc = ReportDocument(build())
saver = Autosaver(doc, folder=__import__("pathlib").Path(sys.argv[1]))
i = 0
while True:
    i += 1
    doc.set_cell_text("t3.granted.person", str(i))
    saver.save_now()
    print(i, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_while_autosaving_leaves_recoverable_work(tmp_path):
    rng = random.Random(31)
    for attempt in range(8):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(ROOT)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT,
                                text=True)
        first = proc.stdout.readline().strip()
        assert first == "1", first
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        reported = [int(first)] + [int(x) for x in proc.stdout.read().split()]
        proc.wait(timeout=30)
        info = find_autosave(folder)
        assert info is not None, "the crash must leave the autosaved work behind"
        r = info.load()                       # whole, or this raises
        v = r.values["t3.granted.person"]
        # the last completed autosave, or the one in flight when the kill landed
        assert v in (reported[-1], reported[-1] + 1), (v, reported[-3:])
        assert r.agency == "青岚县市场监督管理局"


def test_autosave_without_its_companion_file_is_still_offered(tmp_path):
    """A crash between the two writes of the first autosave leaves only the project file."""
    from model import project
    from model.example import build

    project.save(build(), tmp_path / "autosave-abc.nianbao")
    info = find_autosave(tmp_path)
    assert info is not None and info.load().agency == "青岚县市场监督管理局"

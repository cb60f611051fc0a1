"""Crash-safe saving: kill a saving process at random moments; the file is always whole.

A child process saves two different versions of a report over and over into the
same file; the test SIGKILLs it at random moments, many times, and after every
kill the file must load and be exactly one of the two versions.
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

from model import project
from model.example import build

ROOT = Path(__file__).resolve().parent.parent

SAVER = r"""
import sys
sys.path.insert(0, sys.argv[2])
from model import project
from model.example import build
a = build()
b = build(); b.agency = "另一个版本"; b.sections["overview"] = "长文本" * 20000
path = sys.argv[1]
print("ready", flush=True)
i = 0
while True:
    project.save(a if i % 2 else b, path)
    i += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_during_saves_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "report.nianbao"
    project.save(build(), path)
    rng = random.Random(20250131)
    kills = 25
    seen = set()
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(ROOT)],
                                stdout=subprocess.PIPE, cwd=ROOT)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        r = project.load(path)          # raises if the file is torn
        assert r.agency in ("青岚县市场监督管理局", "另一个版本")
        if r.agency == "另一个版本":
            assert r.sections["overview"] == "长文本" * 20000
        else:
            assert r.values == build().values
        seen.add(r.agency)
    # the kills really landed while saves were going on: both versions were observed
    assert len(seen) == 2
    # a save after the crashes clears the temporary files the killed saves left behind
    project.save(build(), path)
    assert [x.name for x in tmp_path.iterdir()] == ["report.nianbao"]

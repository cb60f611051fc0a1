"""main.py sends every CLI command to the headless engine (not to the window as a FILE)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import main
from model import cli

ROOT = Path(__file__).resolve().parent.parent


def test_main_knows_every_cli_command():
    assert main.COMMANDS == cli.COMMANDS


def test_compare_runs_headless_without_a_display():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)        # as a user's shell: the window would need a display
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), "compare", "--help"], cwd=ROOT,
                       env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert p.returncode == 0, p.stderr
    assert "用法" in p.stdout and "compare" in p.stdout

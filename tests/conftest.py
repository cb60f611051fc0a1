"""Shared test setup: headless Qt, and the seeds (skipped cleanly when ../shared is absent)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# every DOCX any test renders passes the structural check (tests/docx_structure.py)
from .docx_structure import install as _check_every_docx

_check_every_docx()

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"


def seed_paths() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []


def seed_path(prefix: str) -> Path:
    """The seed whose file name starts with ``prefix`` ("000" … "004"); skips when absent."""
    for p in seed_paths():
        if p.name.startswith(prefix):
            return p
    pytest.skip("../shared/seeds is not present in this checkout")


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES

"""Each seed, read by the importer, exported to TXT, DOCX and XLSX and read back: same cells and text."""
from __future__ import annotations

import pytest

from model import schema
from model.render import render

from .conftest import seed_path

pytestmark = pytest.mark.seeds


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize("fmt", ["txt", "docx", "xlsx"])
def test_seed_round_trip(tmp_path, seed, fmt):
    path = seed_path(seed)
    from model.importers import read_file
    original = read_file(path).report
    out = tmp_path / f"r.{fmt}"
    data = render(original, fmt)
    if isinstance(data, str):
        out.write_text(data, "utf-8")
    else:
        out.write_bytes(data)
    back = read_file(out).report
    assert back.values == original.values
    for sid in schema.TEXT_SECTIONS:
        assert back.sections[sid] == original.sections[sid], sid
    assert back.year == original.year
    assert back.agency == original.agency

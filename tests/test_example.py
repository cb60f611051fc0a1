"""The built-in example report is current and passes every rule."""
from __future__ import annotations

from model import example, project
from model.findings import Severity
from model.paths import EXAMPLE_REPORT
from model.rules import check


def test_example_file_is_current():
    on_disk = project.load(EXAMPLE_REPORT)
    built = example.build()
    assert on_disk.values == built.values and on_disk.sections == built.sections
    assert on_disk.baseline is not None and on_disk.baseline.values == built.baseline.values, \
        "run: uv run python resources/make_example.py"


def test_example_has_no_errors_or_warnings():
    findings = check(example.build())
    assert [f for f in findings if f.severity is not Severity.INFO] == []
    assert [f.rule for f in check(example.build_2024())] == []

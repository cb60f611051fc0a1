"""Fuzzing the core's input paths: cell input parsing and project files.

Every input ends in a value or the module's own Chinese error — never an
uncaught exception.  The normal suite runs a short profile; ``NIANBAO_FUZZ=long``
(see bench/README.md) runs at least 10,000 examples each.
"""
from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import project, schema
from model.errors import ProjectError
from model.numbers import cn_to_int, parse_amount, parse_count

LONG = os.environ.get("NIANBAO_FUZZ") == "long"
EXAMPLES = 10_000 if LONG else 150
fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

cell_text = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[ 　]*[-+]?[0-9０-９,，.]{0,15}[件个万元]?[ 　]*", fullmatch=True),
    st.text(alphabet="零〇一二两三四五六七八九十百千万亿", max_size=12),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
)


@fuzz
@given(cell_text)
def test_parse_count_never_raises(text):
    p = parse_count(text)
    if p.error is None and not p.blank:
        assert isinstance(p.value, int) and 0 <= p.value <= 10**9
    if p.error is not None:
        assert p.value is None and any("\u4e00" <= ch <= "\u9fff" for ch in p.error)


@fuzz
@given(cell_text)
def test_parse_amount_never_raises(text):
    p = parse_amount(text)
    if p.error is None and not p.blank:
        assert p.value >= 0


@fuzz
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿", max_size=20))
def test_cn_to_int_never_raises(text):
    v = cn_to_int(text)
    assert v is None or v >= 0


def _valid_doc() -> dict:
    return json.loads(project.dumps(__import__("model.example", fromlist=["build"]).build()))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=20)


@fuzz
@given(st.data())
def test_mutated_project_files_load_or_fail_cleanly(data):
    doc = _valid_doc()
    rep = doc["report"]
    # replace a few random fields of the report (or the wrapper) with random JSON values
    for _ in range(data.draw(st.integers(1, 4))):
        target = data.draw(st.sampled_from(["wrapper", "report", "cells", "sections", "baseline"]))
        value = data.draw(json_values)
        if target == "wrapper":
            doc[data.draw(st.sampled_from(["format", "version", "report"]))] = value
        elif target == "report":
            rep[data.draw(st.sampled_from(sorted(rep)))] = value
        elif target == "cells" and isinstance(rep.get("cells"), dict):
            rep["cells"][data.draw(st.sampled_from(schema.CELL_IDS))] = value
        elif target == "sections" and isinstance(rep.get("sections"), dict):
            rep["sections"][data.draw(st.sampled_from(schema.TEXT_SECTIONS))] = value
        else:
            rep["baseline"] = value
    try:
        project.loads(json.dumps(doc, ensure_ascii=False))
    except ProjectError as e:
        assert str(e)


@fuzz
@given(st.data())
def test_truncated_and_flipped_project_bytes(data):
    raw = project.dumps(__import__("model.example", fromlist=["build"]).build()).encode("utf-8")
    cut = data.draw(st.integers(0, len(raw)))
    blob = bytearray(raw[:cut])
    for _ in range(data.draw(st.integers(0, 5))):
        if blob:
            i = data.draw(st.integers(0, len(blob) - 1))
            blob[i] ^= data.draw(st.integers(1, 255))
    try:
        text = bytes(blob).decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        project.loads(text)
    except ProjectError as e:
        assert str(e)


@pytest.mark.parametrize("depth", [10, 1000, 100_000])
def test_deeply_nested_json_is_refused_cleanly(depth):
    with pytest.raises(ProjectError):
        project.loads("[" * depth + "]" * depth)


def test_chinese_numeral_counts_are_bounded_like_digits():
    """Found by the fuzzer: 千亿 slipped past the size check."""
    assert parse_count("千亿").error and parse_count("三十五").value == 35


def test_thousands_of_digits_are_too_big_not_a_crash():
    p = parse_count("1" * 5000)
    assert p.value is None and "太大" in p.error and len(p.error) < 60
    assert parse_count("-" + "9" * 5000).error
    assert parse_amount("1" * 5000).error and parse_amount("1e999999999").error


def test_counts_written_with_a_decimal_point_are_bounded_too():
    """Found by the long profile: "2000000000." slipped past the size check."""
    assert parse_count("2000000000.").error and parse_count("12.0").value == 12
    assert parse_count("-3.0").error and parse_count("1.5").error

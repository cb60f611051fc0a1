"""model.dates: one parser and one Chinese formatter for every date."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from model.dates import format_cn, parse_date


@pytest.mark.parametrize("text", ["2025-03-04", "2025/3/4", "2025.3.4", "2025年3月4日", "20250304",
                                  "２０２５－０３－０４", "2025-03-04 09:30", "2025-03-04T09:30:00"])
def test_what_a_clerk_writes(text):
    assert parse_date(text) == date(2025, 3, 4)


def test_what_is_no_date():
    for v in ("", "2025-02-30", "三月四日", "公开日期：2025-03-04", None, 20250304):
        assert parse_date(v) is None
    assert parse_date("公开日期：2025年1月20日", anywhere=True) == date(2025, 1, 20)
    assert parse_date(datetime(2025, 1, 2, 3, 4)) == date(2025, 1, 2)


def test_chinese_form_and_the_rules_use_it():
    from model import rules
    assert format_cn(date(2026, 1, 31)) == "2026年1月31日"
    assert rules._date is format_cn

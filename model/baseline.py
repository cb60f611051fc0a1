"""Last year's report as the baseline: one policy for the window, the CLI and the audit.

DOMAIN.md §4 rule X0: the baseline is this agency's report of the year before.

- :func:`assess` decides, for a report and the report chosen as last year's,
  whether the years follow (``last.year == year - 1``) and whether it is the
  same agency (names compared with all white space removed; an empty name on
  either side cannot be compared and is not held against the choice).
- :meth:`BaselineCheck.findings` says so in Chinese (rule X0, a warning naming
  the two years and agencies); :func:`model.rules.check` emits them for every
  report with a baseline, so the window and ``check --last-year`` say the same.
- :func:`attach_baseline` makes ``last`` the baseline of ``report`` (X1 is an
  error only when the baseline is the agency's own 2021-format report of the
  year before) and, when asked, carries last year's balances
  (``carried_out`` → ``carried_in``).  Balances from a report that is not of
  the previous year are carried only when the caller says the clerk confirmed
  (:attr:`BaselineCheck.needs_confirmation`).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import schema
from .findings import Finding, Severity
from .report import Report

RULE = "X0"


def agency_key(agency: str) -> str:
    """Agency names compared with every white space (also full-width) removed."""
    return "".join((agency or "").split())


def same_agency(a: str, b: str) -> bool:
    """True when the names are the same, or when either is empty (nothing to compare)."""
    ka, kb = agency_key(a), agency_key(b)
    return not ka or not kb or ka == kb


@dataclass(frozen=True)
class BaselineCheck:
    """What :func:`assess` found about one (report, last year's report) pair."""

    year: int | None
    last_year: int | None
    agency: str
    last_agency: str
    last_format: str

    @property
    def year_ok(self) -> bool:
        """The years follow, or one of them is unknown."""
        return self.year is None or self.last_year is None or self.last_year == self.year - 1

    @property
    def agency_ok(self) -> bool:
        return same_agency(self.agency, self.last_agency)

    @property
    def own(self) -> bool:
        """The baseline is the agency's own 2021-format report of the year before (X1 is an error)."""
        return self.last_format == schema.FORMAT_2021 and self.year_ok and self.agency_ok

    @property
    def needs_confirmation(self) -> bool:
        """Balances may be carried over only after the clerk confirms."""
        return not self.year_ok

    def _who(self, agency: str, year: int | None) -> str:
        name = f"“{agency}”" if agency_key(agency) else "（机关名称未填）"
        return f"{name}{year if year is not None else '（年度未知）'}年"

    def findings(self) -> list[Finding]:
        """Rule X0: one warning for the year, one for the agency, each naming both reports."""
        out: list[Finding] = []
        pair = (f"上年报告为{self._who(self.last_agency, self.last_year)}的报告，"
                f"本报告为{self._who(self.agency, self.year)}的报告")
        if not self.year_ok:
            assert self.year is not None and self.last_year is not None
            kind = "同一年度" if self.last_year == self.year else f"{self.last_year} 年"
            out.append(Finding(RULE, Severity.WARNING,
                               f"{pair}：上年基线应为 {self.year - 1} 年的报告，所选的是{kind}的报告。"
                               "请核实是否选错了文件；未经确认，不按其填入“上年结转”。",
                               section="meta", field="year"))
        if not self.agency_ok:
            out.append(Finding(RULE, Severity.WARNING,
                               f"{pair}：两份报告不是同一机关的，上年基线应为本机关的上年报告；"
                               "与其“结转下年度继续办理”的核对（X1）只作警告。",
                               section="meta", field="agency"))
        return out

    def question(self) -> str:
        """The question the window asks before carrying balances (see :attr:`needs_confirmation`)."""
        lines = [f.message for f in self.findings()]
        lines.append("仍要按这份报告的“结转下年度继续办理”填入本年的“上年结转”吗？"
                     "（选“否”则只作为上年基线用于比较，不改动本年数字。）")
        return "\n\n".join(lines)


def assess(report: Report, last: Report) -> BaselineCheck:
    """The X0 decision for ``last`` as the baseline of ``report``."""
    return BaselineCheck(report.year, last.year, report.agency or "", last.agency or "", last.format)


def carried_balances(last: Report) -> dict[str, int]:
    """``carried_in`` cell id → last year's ``carried_out``, for the applicant columns."""
    return {schema.t3("carried_in", col): int(last.num(schema.t3("carried_out", col)))
            for col in schema.T3_APPLICANT_COLS}


def as_baseline(last: Report) -> Report:
    """A copy of ``last`` fit to be a baseline (it carries no baseline of its own)."""
    base = last.copy()
    base.baseline = None
    return base


@dataclass(frozen=True)
class BaselineChange:
    """What setting a baseline changes: the baseline itself, X1's severity and the carried cells."""

    baseline: Report | None
    own: bool
    cells: dict[str, int]                  # carried_in cell id → value; empty when not carried
    verdict: BaselineCheck | None

    def apply(self, report: Report) -> None:
        report.baseline = self.baseline
        report.baseline_own = self.own
        if self.cells:
            for cid, v in self.cells.items():
                report.set(cid, v)
            report.recompute_totals()


def baseline_change(report: Report, last: Report | None, *, carry: bool = True,
                    confirmed: bool = False) -> BaselineChange:
    """The change that makes ``last`` the baseline of ``report`` (``None``: drop the baseline).

    With ``carry`` last year's balances go into ``carried_in`` — unless the
    years do not follow and ``confirmed`` is false (rule X0).
    """
    if last is None:
        return BaselineChange(None, True, {}, None)
    verdict = assess(report, last)
    carried = carry and (confirmed or not verdict.needs_confirmation)
    return BaselineChange(as_baseline(last), verdict.own, carried_balances(last) if carried else {}, verdict)


def attach_baseline(report: Report, last: Report, *, carry: bool = False,
                    confirmed: bool = False) -> BaselineCheck:
    """Use ``last`` as the baseline of ``report`` for the cross-year rules.

    With ``carry`` the balances are carried over (and totals recomputed) —
    unless the years do not follow and ``confirmed`` is false.
    """
    change = baseline_change(report, last, carry=carry, confirmed=confirmed)
    change.apply(report)
    assert change.verdict is not None
    return change.verdict

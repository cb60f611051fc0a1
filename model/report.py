"""One report: meta, the three text sections, all 200 cells, and an optional baseline.

A cell holds an ``int`` (counts), a ``Decimal`` (the fee, 万元) or ``None`` (not
given).  What was typed or imported when it was not a clean number (``/``,
``—``, ``abc``, ``-3``) is kept in :attr:`Report.raw` so the checker can say so
and nothing is lost.  Totals are stored like any other cell: a typed total that
disagrees with its components survives, and the rules report it.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import schema
from .schema import CELLS, CELL_IDS, FORMAT_2021, TEXT_SECTIONS, Level, Tier

CellValue = int | Decimal | None


@dataclass
class Structure:
    """How an imported document was laid out, for the structure rules (S1–S3, S7).

    A report authored in Nianbao has no structure: its exports are right by
    construction.
    """

    title_line: str | None = None                       # the title as found, None when absent
    headings: list[str] = field(default_factory=list)   # level-1 headings, in document order
    subheads: dict[str, list[str]] = field(default_factory=dict)  # section id -> sub-heads found
    label_variants: list[tuple[str, str]] = field(default_factory=list)  # (found, official)
    unplaced: list[str] = field(default_factory=list)   # cells the reader could not read from the document


@dataclass
class Report:
    agency: str = ""
    year: int | None = None
    level: Level = Level.DEPARTMENT
    tier: Tier = Tier.UNKNOWN
    publish_date: date | None = None
    format: str = FORMAT_2021
    sections: dict[str, str] = field(default_factory=lambda: {s: "" for s in TEXT_SECTIONS})
    values: dict[str, CellValue] = field(default_factory=lambda: dict.fromkeys(CELL_IDS))
    raw: dict[str, str] = field(default_factory=dict)
    baseline: Report | None = None
    baseline_own: bool = True        # baseline is this agency's own 2021-format report (X1 severity)
    structure: Structure | None = None

    # ---- construction -------------------------------------------------
    @classmethod
    def zeros(cls, **kw) -> Report:
        r = cls(**kw)
        for cid, d in CELLS.items():
            r.values[cid] = Decimal(0) if d.kind == "decimal" else 0
        return r

    def copy(self) -> Report:
        return copy.deepcopy(self)

    # ---- cells --------------------------------------------------------
    def get(self, cell_id: str) -> CellValue:
        return self.values[cell_id]

    def num(self, cell_id: str) -> int | Decimal:
        """The value with a blank read as 0 (rule C3 warns about the blank)."""
        v = self.values[cell_id]
        return 0 if v is None else v

    def set(self, cell_id: str, value: CellValue, raw: str | None = None) -> None:
        if cell_id not in CELLS:
            raise KeyError(cell_id)
        self.values[cell_id] = value
        if raw is None:
            self.raw.pop(cell_id, None)
        else:
            self.raw[cell_id] = raw

    def computed_total(self, cell_id: str) -> int | Decimal:
        """What a total cell should be: the sum of its components."""
        return sum((self.num(c) for c in CELLS[cell_id].components), 0)

    def recompute_totals(self) -> list[str]:
        """Set every total to the sum of its components; return the ids that changed.

        Row totals of table 三 are computed from the applicant columns, and the
        （七）总计 row from the result rows, so the corner cell agrees both ways.
        """
        changed = []
        # column totals of （七）总计 first (applicant columns), then every row total
        order = [c for c in schema.TOTAL_IDS if not c.endswith(".total")] + \
                [c for c in schema.TOTAL_IDS if c.endswith(".total")]
        for cid in order:
            want = self.computed_total(cid)
            if self.values[cid] != want or cid in self.raw:
                self.values[cid] = want
                self.raw.pop(cid, None)
                changed.append(cid)
        return changed

    # ---- meta ---------------------------------------------------------
    @property
    def title(self) -> str:
        return schema.title_for(self.agency, self.year)

    def deadline(self) -> date | None:
        """The legal publication deadline (条例第四十九条) for this report."""
        if self.year is None:
            return None
        if self.level is Level.GOVERNMENT:
            return date(self.year + 1, 3, 31)
        return date(self.year + 1, 1, 31)

    def cells_equal(self, other: Report) -> bool:
        return self.values == other.values

    def next_year(self) -> Report:
        """This report carried over into a new one for the following year.

        Agency, level and tier kept; year + 1; ``carried_in`` = last year's
        ``carried_out``; the text kept as a draft; last year kept as baseline.
        """
        base = self.copy()
        base.baseline = None
        new = Report.zeros(agency=self.agency, level=self.level, tier=self.tier,
                           year=None if self.year is None else self.year + 1)
        new.sections = dict(self.sections)
        for col, _ in schema.T3_COLUMNS:
            new.values[schema.t3("carried_in", col)] = self.num(schema.t3("carried_out", col))
        for row in ("regulation", "normative"):
            new.values[f"t2.{row}.in_force"] = self.num(f"t2.{row}.in_force")
        new.baseline = base
        new.baseline_own = self.format == FORMAT_2021
        new.recompute_totals()
        return new

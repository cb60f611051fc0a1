"""The official report format as data, written once.

Everything that draws, checks, imports or exports a report reads its labels,
cell ids, header layout and totals from here (DOMAIN.md §2, §3).  Nothing else
in the project spells an official label.

Layout model: every table is a rectangular grid of :class:`GridCell` items with
row/column spans, the same for a Qt view, a DOCX table, an HTML table and an
XLSX sheet.  A grid cell is a header, a row label, or a value slot holding one
canonical cell id.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from .numbers import Parsed, parse_amount, parse_count
from .lazyre import lazy

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------

class SectionDef(NamedTuple):
    id: str
    number: str          # 一 … 六
    heading: str         # exact official heading
    kind: str            # "text" or "table"
    table: str | None = None
    short: str = ""      # short name for navigation


SECTIONS: tuple[SectionDef, ...] = (
    SectionDef("overview", "一", "一、总体情况", "text", short="总体情况"),
    SectionDef("active", "二", "二、主动公开政府信息情况", "table", "t2", short="主动公开"),
    SectionDef("requests", "三", "三、收到和处理政府信息公开申请情况", "table", "t3", short="依申请公开"),
    SectionDef("appeals", "四", "四、政府信息公开行政复议、行政诉讼情况", "table", "t4", short="复议诉讼"),
    SectionDef("problems", "五", "五、存在的主要问题及改进情况", "text", short="问题与改进"),
    SectionDef("other", "六", "六、其他需要报告的事项", "text", short="其他事项"),
)
SECTION_BY_ID = {s.id: s for s in SECTIONS}
TEXT_SECTIONS: tuple[str, ...] = tuple(s.id for s in SECTIONS if s.kind == "text")

TITLE_SUFFIX = "年政府信息公开工作年度报告"


def title_for(agency: str, year: int | None) -> str:
    """The official title: ``{机关名称}{YYYY}年政府信息公开工作年度报告``."""
    return f"{agency}{year if year is not None else ''}{TITLE_SUFFIX}"


# --------------------------------------------------------------------------
# Agency levels
# --------------------------------------------------------------------------

class Level(str, Enum):
    """Which kind of body writes the report; it changes S8 and S4."""

    DEPARTMENT = "department"
    GOVERNMENT = "government"
    TOWNSHIP = "township"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.DEPARTMENT: "部门",
    Level.GOVERNMENT: "本级人民政府",
    Level.TOWNSHIP: "乡镇街道",
}


# the words that end the name of an administrative division (``广东省``, ``天河区``,
# ``清水河镇``), longest first: where a long agency name may break over lines, and how a line
# that names only a place is told
DIVISION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "街道", "省", "市", "区", "县",
                     "州", "盟", "旗", "镇", "乡")


def level_from_agency(agency: str) -> Level:
    """The level a name implies: ``…乡/镇人民政府``, ``…街道办事处`` → 乡镇街道;
    ``…人民政府`` → 本级人民政府; anything else (局、委、办, 人民政府办公室) → 部门."""
    name = "".join(agency.split())
    if name.endswith("街道办事处") or name.endswith(("乡人民政府", "镇人民政府")):
        return Level.TOWNSHIP
    if name.endswith("人民政府"):
        return Level.GOVERNMENT
    return Level.DEPARTMENT


class Tier(str, Enum):
    """Administrative tier of the agency; decides rule-making power (T2-1)."""

    UNKNOWN = "unknown"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return TIER_LABELS[self]

    @property
    def has_rulemaking_power(self) -> bool | None:
        """规章 may be made by provincial and 设区的市 governments only."""
        if self is Tier.UNKNOWN:
            return None
        return self in (Tier.PROVINCE, Tier.CITY)


TIER_LABELS = {
    Tier.UNKNOWN: "未指定",
    Tier.PROVINCE: "省级",
    Tier.CITY: "设区的市级",
    Tier.COUNTY: "县级及以下",
}


# --------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------

class CellDef(NamedTuple):
    id: str
    table: str                  # "t2" | "t3" | "t4"
    row: str                    # row id within the table ("regulation", "denied.secret", "review")
    col: str                    # column id ("issued", "person", "upheld")
    row_label: str              # exact official row label
    col_label: str              # exact official column label
    kind: str = "int"           # "int" or "decimal"
    components: tuple[str, ...] = ()   # for a total: the cells it sums

    @property
    def is_total(self) -> bool:
        return bool(self.components)

    @property
    def label(self) -> str:
        """Human label for messages: ``（七）总计 自然人``."""
        return f"{self.row_label} {self.col_label}"

    def parse(self, text: str) -> Parsed:
        """``text`` read as this cell's value: an amount for the fee, a count for every other cell
        (the one rule the cell editor, the readers and rule C1 share)."""
        return parse_amount(text) if self.kind == "decimal" else parse_count(text)


class GridCell(NamedTuple):
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str = ""              # header or label text; empty for a value slot
    cell_id: str | None = None  # the value slot's canonical id
    role: str = "header"        # "header" | "caption" | "label" | "value"


class TableDef(NamedTuple):
    id: str
    section: str
    title: str
    n_rows: int
    n_cols: int
    grid: tuple[GridCell, ...]
    header_rows: int            # rows at the top that repeat across pages
    label_cols: int             # columns at the left that hold row labels
    cell_ids: tuple[str, ...]
    col_widths: tuple[float, ...] = ()   # relative widths for writers

    def at(self, row: int, col: int) -> GridCell | None:
        """The grid cell whose area covers (row, col)."""
        for g in self.grid:
            if g.row <= row < g.row + g.rowspan and g.col <= col < g.col + g.colspan:
                return g
        return None

    def slot(self, cell_id: str) -> GridCell:
        for g in self.grid:
            if g.cell_id == cell_id:
                return g
        raise KeyError(cell_id)


# ---- table 二 -------------------------------------------------------------

T2_CONTENT = "信息内容"


class T2Block(NamedTuple):
    caption: str
    columns: tuple[tuple[str, str], ...]   # (suffix id, label)
    rows: tuple[tuple[str, str], ...]      # (row id, label)


T2_BLOCKS: tuple[T2Block, ...] = (
    T2Block("第二十条第（一）项",
            (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
            (("regulation", "规章"), ("normative", "行政规范性文件"))),
    T2Block("第二十条第（五）项",
            (("decisions", "本年处理决定数量"),),
            (("licensing", "行政许可"),)),
    T2Block("第二十条第（六）项",
            (("decisions", "本年处理决定数量"),),
            (("penalty", "行政处罚"), ("coercion", "行政强制"))),
    T2Block("第二十条第（八）项",
            (("amount", "本年收费金额（单位：万元）"),),
            (("fees", "行政事业性收费"),)),
)

# ---- table 三 -------------------------------------------------------------

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_ORGS = "法人或其他组织"

T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("person", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
T3_APPLICANT_COLS: tuple[str, ...] = tuple(c for c, _ in T3_COLUMNS if c != "total")

T3_RESULTS_GROUP = "三、本年度办理结果"


class T3Row(NamedTuple):
    id: str
    label: str
    group: str | None = None      # （三）不予公开 …; None for rows without a sub-group
    in_results: bool = False      # under 三、本年度办理结果
    is_result: bool = False       # one of the result rows summed into （七）总计


T3_GROUP_DENIED = "（三）不予公开"
T3_GROUP_UNABLE = "（四）无法提供"
T3_GROUP_REJECTED = "（五）不予处理"
T3_GROUP_OTHER = "（六）其他处理"

T3_ROWS: tuple[T3Row, ...] = (
    T3Row("new", "一、本年新收政府信息公开申请数量"),
    T3Row("carried_in", "二、上年结转政府信息公开申请数量"),
    T3Row("granted", "（一）予以公开", None, True, True),
    T3Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, True, True),
    T3Row("denied.secret", "1.属于国家秘密", T3_GROUP_DENIED, True, True),
    T3Row("denied.law", "2.其他法律行政法规禁止公开", T3_GROUP_DENIED, True, True),
    T3Row("denied.security", "3.危及“三安全一稳定”", T3_GROUP_DENIED, True, True),
    T3Row("denied.third_party", "4.保护第三方合法权益", T3_GROUP_DENIED, True, True),
    T3Row("denied.internal", "5.属于三类内部事务信息", T3_GROUP_DENIED, True, True),
    T3Row("denied.process", "6.属于四类过程性信息", T3_GROUP_DENIED, True, True),
    T3Row("denied.enforcement", "7.属于行政执法案卷", T3_GROUP_DENIED, True, True),
    T3Row("denied.inquiry", "8.属于行政查询事项", T3_GROUP_DENIED, True, True),
    T3Row("unable.not_held", "1.本机关不掌握相关政府信息", T3_GROUP_UNABLE, True, True),
    T3Row("unable.needs_creation", "2.没有现成信息需要另行制作", T3_GROUP_UNABLE, True, True),
    T3Row("unable.unclear", "3.补正后申请内容仍不明确", T3_GROUP_UNABLE, True, True),
    T3Row("rejected.complaint", "1.信访举报投诉类申请", T3_GROUP_REJECTED, True, True),
    T3Row("rejected.duplicate", "2.重复申请", T3_GROUP_REJECTED, True, True),
    T3Row("rejected.publication", "3.要求提供公开出版物", T3_GROUP_REJECTED, True, True),
    T3Row("rejected.excessive", "4.无正当理由大量反复申请", T3_GROUP_REJECTED, True, True),
    T3Row("rejected.confirmation", "5.要求行政机关确认或重新出具已获取信息", T3_GROUP_REJECTED, True, True),
    T3Row("other.no_correction",
          "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", T3_GROUP_OTHER, True, True),
    T3Row("other.unpaid_fee",
          "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
          T3_GROUP_OTHER, True, True),
    T3Row("other.other", "3.其他", T3_GROUP_OTHER, True, True),
    T3Row("results_total", "（七）总计", None, True, False),
    T3Row("carried_out", "四、结转下年度继续办理"),
)
T3_ROW_BY_ID = {r.id: r for r in T3_ROWS}
T3_RESULT_ROWS: tuple[str, ...] = tuple(r.id for r in T3_ROWS if r.is_result)

# Help texts for tooltips (条例 wording).
HELP_TEXTS: dict[str, str] = {
    "denied.security": "三安全一稳定：国家安全、公共安全、经济安全、社会稳定（条例第十四条）",
    "denied.internal": "三类内部事务信息：人事管理、后勤管理、内部工作流程（条例第十六条第一款）",
    "denied.process": "四类过程性信息：讨论记录、过程稿、磋商信函、请示报告（条例第十六条第二款）",
    "partial": "部分公开的申请只计入（二），不再计入（三）（四）等其他情形；每件申请只有一个办理结果。",
    "carried_in": "应等于上年报告“四、结转下年度继续办理”的对应数字。",
}

# ---- table 四 -------------------------------------------------------------

T4_REVIEW = "行政复议"
T4_SUIT = "行政诉讼"
T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("suit_direct", "未经复议直接起诉"),
    ("suit_after_review", "复议后起诉"),
)
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


# --------------------------------------------------------------------------
# Building the cell registry and the grids
# --------------------------------------------------------------------------

def _build() -> tuple[dict[str, CellDef], dict[str, TableDef]]:
    cells: dict[str, CellDef] = {}
    tables: dict[str, TableDef] = {}

    # ---- 二: a 4-column grid of four blocks
    grid: list[GridCell] = []
    ids: list[str] = []
    r = 0
    for block in T2_BLOCKS:
        grid.append(GridCell(r, 0, 1, 4, block.caption, role="caption"))
        r += 1
        grid.append(GridCell(r, 0, 1, 1, T2_CONTENT, role="header"))
        span = 3 // len(block.columns)
        for i, (_, clabel) in enumerate(block.columns):
            grid.append(GridCell(r, 1 + i * span, 1, span, clabel, role="header"))
        r += 1
        for row_id, rlabel in block.rows:
            grid.append(GridCell(r, 0, 1, 1, rlabel, role="label"))
            for i, (col_id, clabel) in enumerate(block.columns):
                cid = f"t2.{row_id}.{col_id}"
                cells[cid] = CellDef(cid, "t2", row_id, col_id, rlabel, clabel,
                                     "decimal" if col_id == "amount" else "int")
                ids.append(cid)
                grid.append(GridCell(r, 1 + i * span, 1, span, cell_id=cid, role="value"))
            r += 1
    tables["t2"] = TableDef("t2", "active", "二、主动公开政府信息情况", r, 4, tuple(grid),
                            header_rows=0, label_cols=1, cell_ids=tuple(ids),
                            col_widths=(2.2, 1.6, 1.6, 1.6))

    # ---- 三: 3 label columns + 7 value columns; 3 header rows
    grid = []
    ids = []
    grid.append(GridCell(0, 0, 3, 3, T3_CORNER, role="header"))
    grid.append(GridCell(0, 3, 1, 7, T3_APPLICANTS, role="header"))
    grid.append(GridCell(1, 3, 2, 1, "自然人", role="header"))
    grid.append(GridCell(1, 4, 1, 5, T3_ORGS, role="header"))
    grid.append(GridCell(1, 9, 2, 1, "总计", role="header"))
    for i, (_, clabel) in enumerate(T3_COLUMNS[1:6]):
        grid.append(GridCell(2, 4 + i, 1, 1, clabel, role="header"))
    header_rows = 3
    first_result = next(i for i, row in enumerate(T3_ROWS) if row.in_results)
    n_results = sum(1 for row in T3_ROWS if row.in_results)
    group_start: dict[str, int] = {}
    group_len: dict[str, int] = {}
    for i, row in enumerate(T3_ROWS):
        if row.group:
            group_start.setdefault(row.group, i)
            group_len[row.group] = group_len.get(row.group, 0) + 1
    for i, row in enumerate(T3_ROWS):
        gr = header_rows + i
        if i == first_result:
            grid.append(GridCell(gr, 0, n_results, 1, T3_RESULTS_GROUP, role="label"))
        if not row.in_results:
            grid.append(GridCell(gr, 0, 1, 3, row.label, role="label"))
        elif row.group is None:
            grid.append(GridCell(gr, 1, 1, 2, row.label, role="label"))
        else:
            if group_start[row.group] == i:
                grid.append(GridCell(gr, 1, group_len[row.group], 1, row.group, role="label"))
            grid.append(GridCell(gr, 2, 1, 1, row.label, role="label"))
        for j, (col_id, clabel) in enumerate(T3_COLUMNS):
            cid = f"t3.{row.id}.{col_id}"
            comps: tuple[str, ...] = ()
            if col_id == "total":
                comps = tuple(f"t3.{row.id}.{c}" for c in T3_APPLICANT_COLS)
            elif row.id == "results_total":
                comps = tuple(f"t3.{rid}.{col_id}" for rid in T3_RESULT_ROWS)
            cells[cid] = CellDef(cid, "t3", row.id, col_id, row.label, clabel, "int", comps)
            ids.append(cid)
            grid.append(GridCell(gr, 3 + j, cell_id=cid, role="value"))
    tables["t3"] = TableDef("t3", "requests", "三、收到和处理政府信息公开申请情况",
                            header_rows + len(T3_ROWS), 10, tuple(grid),
                            header_rows=header_rows, label_cols=3, cell_ids=tuple(ids),
                            col_widths=(0.9, 1.3, 3.6) + (1.0,) * 7)

    # ---- 四: 3 header rows, one value row, no label column
    grid = []
    ids = []
    grid.append(GridCell(0, 0, 1, 5, T4_REVIEW, role="header"))
    grid.append(GridCell(0, 5, 1, 10, T4_SUIT, role="header"))
    for j, (_, clabel) in enumerate(T4_COLUMNS):
        grid.append(GridCell(1, j, 2, 1, clabel, role="header"))
    grid.append(GridCell(1, 5, 1, 5, T4_GROUPS[1][1], role="header"))
    grid.append(GridCell(1, 10, 1, 5, T4_GROUPS[2][1], role="header"))
    for g in range(2):
        for j, (_, clabel) in enumerate(T4_COLUMNS):
            grid.append(GridCell(2, 5 + g * 5 + j, 1, 1, clabel, role="header"))
    for g, (group_id, glabel) in enumerate(T4_GROUPS):
        for j, (col_id, clabel) in enumerate(T4_COLUMNS):
            cid = f"t4.{group_id}.{col_id}"
            comps = ()
            if col_id == "total":
                comps = tuple(f"t4.{group_id}.{c}" for c, _ in T4_COLUMNS if c != "total")
            cells[cid] = CellDef(cid, "t4", group_id, col_id, glabel, clabel, "int", comps)
            ids.append(cid)
            grid.append(GridCell(3, g * 5 + j, cell_id=cid, role="value"))
    tables["t4"] = TableDef("t4", "appeals", "四、政府信息公开行政复议、行政诉讼情况", 4, 15,
                            tuple(grid), header_rows=3, label_cols=0, cell_ids=tuple(ids),
                            col_widths=(1.0,) * 15)
    return cells, tables


CELLS, TABLES = _build()
CELL_IDS: tuple[str, ...] = tuple(CELLS)
TOTAL_IDS: tuple[str, ...] = tuple(c for c, d in CELLS.items() if d.is_total)
FEE_ID = "t2.fees.amount"

assert len(CELLS) == 200, len(CELLS)


def cell(cell_id: str) -> CellDef:
    return CELLS[cell_id]


def t3(row: str, col: str) -> str:
    return f"t3.{row}.{col}"


def t4(group: str, col: str) -> str:
    return f"t4.{group}.{col}"


# --------------------------------------------------------------------------
# Derived and key figures: the sums the window, the chart, X4, the previews and
# the CLI show (诉讼 = 直接起诉 + 复议后起诉 is written here and nowhere else)
# --------------------------------------------------------------------------

_CN_NUMBERING = lazy(r"^[（(][一二三四五六七八九十]+[）)]")
_DIGIT_NUMBERING = lazy(r"^\d+[.．、]")
_TRAILING_NOTE = lazy(r"[（(].*[）)]$")


def short_label(label: str) -> str:
    """An official label without its numbering and its trailing parenthetical note:
    ``（三）不予公开`` → ``不予公开``, ``1.予以公开`` → ``予以公开``."""
    return _TRAILING_NOTE.sub("", _DIGIT_NUMBERING.sub("", _CN_NUMBERING.sub("", label)))


class Figure(NamedTuple):
    """A figure of the report: one cell, or the sum of several."""

    key: str                       # "new", "suits", …
    label: str                     # short Chinese label (chart, lists, CLI)
    cells: tuple[str, ...]         # summed
    long_label: str = ""           # for messages; default: the single cell's full label

    @property
    def full_label(self) -> str:
        if self.long_label:
            return self.long_label
        return CELLS[self.cells[0]].label if len(self.cells) == 1 else self.label

    def value(self, num: Callable[[str], int | Decimal]) -> int | Decimal:
        """The figure from a cell reader such as ``Report.num``."""
        return sum((num(c) for c in self.cells), 0)


def _group_totals(prefix: str) -> tuple[str, ...]:
    return tuple(t3(r, "total") for r in T3_RESULT_ROWS if r.startswith(prefix))


_SUITS = (t4("suit_direct", "total"), t4("suit_after_review", "total"))
FIGURES: dict[str, Figure] = {f.key: f for f in (
    Figure("new", "新收申请", (t3("new", "total"),)),
    Figure("carried_in", "上年结转", (t3("carried_in", "total"),)),
    Figure("received", "新收与上年结转合计", (t3("new", "total"), t3("carried_in", "total"))),
    Figure("granted", short_label(T3_ROW_BY_ID["granted"].label), (t3("granted", "total"),)),
    Figure("partial", short_label(T3_ROW_BY_ID["partial"].label), (t3("partial", "total"),)),
    Figure("denied", short_label(T3_GROUP_DENIED), _group_totals("denied.")),
    Figure("unable", short_label(T3_GROUP_UNABLE), _group_totals("unable.")),
    Figure("rejected", short_label(T3_GROUP_REJECTED), _group_totals("rejected.")),
    Figure("other", short_label(T3_GROUP_OTHER), _group_totals("other.")),
    Figure("results", "办理结果总计", (t3("results_total", "total"),)),
    Figure("carried_out", "结转下年度", (t3("carried_out", "total"),)),
    Figure("review", T4_GROUPS[0][1], (t4("review", "total"),)),
    Figure("suits", T4_SUIT, _SUITS,
           f"{T4_SUIT}总计（{'＋'.join(CELLS[c].row_label for c in _SUITS)}）"),
    Figure("licensing", "行政许可", ("t2.licensing.decisions",)),
    Figure("penalty", "行政处罚", ("t2.penalty.decisions",)),
    Figure("coercion", "行政强制", ("t2.coercion.decisions",)),
)}
#: the headline figures of a report (combine, CLI summaries), in this order
KEY_FIGURES: tuple[str, ...] = ("new", "carried_in", "results", "carried_out", "review", "suits")
#: the year-on-year chart's bars
CHART_FIGURES: tuple[str, ...] = ("new", "granted", "partial", "denied", "unable", "rejected", "other",
                                  "review", "suits")
#: rule X4's figures compared with last year
X4_FIGURES: tuple[str, ...] = ("new", "granted", "results", "review", "suits", "licensing", "penalty",
                               "coercion")
#: the cells an import preview shows first
PREVIEW_CELLS: tuple[str, ...] = (
    t3("new", "total"), t3("carried_in", "total"), t3("results_total", "total"), t3("carried_out", "total"),
    t4("review", "total"), *_SUITS, "t2.normative.issued", FEE_ID,
)


def figures_sentence(num: Callable[[str], int | Decimal], keys: tuple[str, ...] = KEY_FIGURES) -> str:
    """``新收申请 35 件，上年结转 0 件，…`` for the headline figures."""
    return "，".join(f"{FIGURES[k].label} {FIGURES[k].value(num)} 件" for k in keys)


# --------------------------------------------------------------------------
# The 2019 trial format (国办公开办函〔2019〕60号), for importers (DOMAIN.md §3)
# --------------------------------------------------------------------------

FORMAT_2019_MARKERS: tuple[str, ...] = ("第二十条第（九）项", "本年新制作数量", "上一年项目数量")

HEADINGS_2019: dict[str, str] = {
    "problems": "五、政府信息公开工作存在的主要问题及改进情况",
}


class Map2019(NamedTuple):
    """How one 2019 label or column maps onto 2021 ids."""

    label: str
    target: str | None      # a 2021 id suffix/row, or None when dropped
    note: str = ""


T2_2019_COLUMNS_1: tuple[Map2019, ...] = (
    Map2019("本年新制作数量", "issued"),
    Map2019("本年新公开数量", None, "2019 年格式的“本年新公开数量”在 2021 年格式中没有对应栏目"),
    Map2019("对外公开总数量", None,
            "“对外公开总数量”不等于“现行有效件数”（含义不同），仅作参考；请核实现行有效件数"),
)
T2_2019_ROWS_1: tuple[Map2019, ...] = (
    Map2019("规章", "regulation"),
    Map2019("规范性文件", "normative"),
)
T2_2019_COLUMNS_DECISIONS: tuple[Map2019, ...] = (
    Map2019("上一年项目数量", None),
    Map2019("本年增/减", None),
    Map2019("处理决定数量", "decisions"),
)
T2_2019_DROPPED_ROWS: tuple[str, ...] = ("其他对外管理服务事项", "政府集中采购")
T2_2019_FEES_NOTE = ("2019 年格式第二十条第（八）项填的是收费项目数量，不是金额，"
                     "不能作为“本年收费金额（单位：万元）”，请另行填写")
T2_2019_REPEALED_NOTE = "2019 年格式没有“本年废止件数”，请补填"
T3_2019_OTHER_NOTE = ("2019 年格式“（六）其他处理”只有一行，已计入“3.其他”，"
                      "“1.”“2.”两项按 0 计，请核实")

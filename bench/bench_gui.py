"""GUI timings, run by hand (not a test):

1. launch → painted main window (with the file given loaded in it), against a bare
   PySide6 window showing one label,
   each run as a fresh subprocess several times, medians side by side
   (target: the main window within 1.5× the bare window).  Both are measured the
   same way: from just before the process is started until a zero-delay timer
   queued on the first Paint event of the top-level window has fired (that is,
   the whole first paint pass is done; the timer calls a slot of the spy, so it
   fires in turn with the program's own zero-delay timers queued after it — a
   timer calling a plain function would wait for every queued slot call), with a
   spy on that one window only — a spy on every object of the application would
   itself slow the big window down (every event of every widget would cross into
   Python).  Both run with
   the bytecode cache in a throw-away folder, as an installed application has
   one (``--no-bytecode-cache`` measures the cold case: every module compiled
   at each start);
2. a keystroke committed in a table cell → recomputed totals, re-checked findings,
   repainted table, navigation and problems panel, with about 60 findings and the
   number of findings changing at every keystroke (target: p95 ≤ 16 ms, one frame,
   and one repaint of each view per keystroke); measured again with the changed rows
   scrolled off screen (``--runs 0`` skips the start-up part).

    uv run python bench/bench_gui.py [--runs 7] [--keys 60] [--floor] [--against DIR]

Uses the display given by the environment; with no DISPLAY/WAYLAND_DISPLAY
it runs on Qt's offscreen platform.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# the spy of the bare label and the floor: the window ``w`` shows; the first paint pass done,
# it prints PAINTED and quits
SPY = r"""
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self.done)
            obj.removeEventFilter(self)
        return False
    def done(self):
        print("PAINTED", flush=True)
        app.quit()
f = Painted()
w.installEventFilter(f)
w.show()
app.exec()
"""

BARE = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
w = QLabel("年报")
""" + SPY

MAIN = r"""
# the real start-up path, main.main() as `uv run main.py [FILE]` runs it, with the same
# spy as the bare window's, put on the first window it shows (the main window opened
# on FILE, counted at its first paint with the file in it; or the start screen).  The
# spy is hooked into Qt's own QWidget.show and QDialog.exec as soon as the program
# itself imports PySide6.QtWidgets: neither PySide6 nor any module of the program is
# imported here before main.py imports it (what is imported before PySide6, and in
# which order, changes what PySide6 costs)
import sys
sys.path.insert(0, {root!r})

FILES = [a for a in {args!r} if not a.startswith("-")]

def ready(window):
    # opened on FILE: only a paint of the main window with that file in it counts (the file
    # is read off the GUI thread; a paint of the window still empty is not the target)
    doc = getattr(window, "doc", None)
    return not FILES or (doc is not None and doc.path is not None)

def spy(widgets):
    from PySide6.QtCore import QEvent, QObject, QTimer
    class Painted(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint and ready(obj):
                QTimer.singleShot(0, self, self.done)
                obj.removeEventFilter(self)
            return False
        def done(self):
            print("PAINTED", flush=True)
            widgets.QApplication.instance().exit(0)
    f = Painted()
    seen = []
    _show, _exec = widgets.QWidget.show, widgets.QDialog.exec
    def watch(w):
        if not seen:
            seen.append(w)                # the first window shown gets the spy
            w.installEventFilter(f)
    def show(self):
        if self.isWindow():
            watch(self)
        _show(self)
    def dialog_exec(self):
        watch(self)
        return _exec(self)
    widgets.QWidget.show = show
    widgets.QDialog.exec = dialog_exec
    widgets._bench_spy = f

class Hook:
    # a finder and a loader by their protocol: importlib.abc and importlib.util would load
    # importlib.resources, tempfile, zipfile … before the program, which does not need them all
    def find_spec(self, name, path=None, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import PathFinder
        spec = PathFinder.find_spec(name, path)
        loader = spec.loader
        class Loader:
            def create_module(self, spec):
                return loader.create_module(spec)
            def exec_module(self, module):
                loader.exec_module(module)
                spy(module)
        spec.loader = Loader()
        return spec

sys.meta_path.insert(0, Hook())
import main
sys.argv = ["main.py", *{args!r}]
main.main(sys.argv[1:])
"""


FLOOR = r"""
# a floor for `main.py FILE`, not the program: what any main window over this model pays —
# the project module and the file lock imported, the example read, and a bare QMainWindow
# with a menu bar, a toolbar, a step list, a form of six fields, the problems list under
# them in a splitter and a status bar, built as the program builds its window (without
# PySide6's ``Qt`` namespace: gui.early); the same spy as the bare label's
import sys
sys.path.insert(0, {root!r})
import model.lock, model.paths, model.project
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (QApplication, QFormLayout, QLabel, QLineEdit, QListWidget,
                               QMainWindow, QSplitter, QToolBar, QWidget)
app = QApplication(sys.argv)
report, _stamp = model.project.load_with_stamp(model.paths.EXAMPLE_REPORT)
w = QMainWindow()
for title in ("文件(&F)", "编辑(&E)", "视图(&V)", "工具(&T)", "帮助(&H)"):
    w.menuBar().addMenu(title)
tb = QToolBar("工具栏", w)
for text in ("新建", "打开…", "保存", "撤销", "重做", "导入上年报告…", "导出…"):
    tb.addAction(text)
w.addToolBar(tb)
nav = QListWidget()
for i in range(8):
    nav.addItem(f"第{{i + 1}}步\n    无问题")
page = QWidget()
form = QFormLayout(page)
for i in range(6):
    form.addRow(f"字段{{i + 1}}：", QLineEdit(report.agency))
split = QSplitter()
split.addWidget(nav)
split.addWidget(page)
outer = QSplitter()
outer.setProperty("orientation", 2)           # vertical
outer.addWidget(split)
outer.addWidget(QLabel("问题列表 正在检查…"))
w.setCentralWidget(outer)
w.statusBar().showMessage("就绪")
w.resize(1440, 920)
""" + SPY.replace("{", "{{").replace("}", "}}")


_SANDBOX = tempfile.mkdtemp(prefix="nianbao-bench-")
BYTECODE_CACHE = True


def env() -> dict[str, str]:
    e = dict(os.environ)
    # the launched app keeps its settings and autosaves in a throw-away folder
    e["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")
    e["XDG_DATA_HOME"] = os.path.join(_SANDBOX, "data")
    if BYTECODE_CACHE:
        # compiled modules are kept (outside the work tree), as for an installed app
        e.pop("PYTHONDONTWRITEBYTECODE", None)
        e["PYTHONPYCACHEPREFIX"] = os.path.join(_SANDBOX, "pycache")
    else:
        e["PYTHONDONTWRITEBYTECODE"] = "1"
        e.pop("PYTHONPYCACHEPREFIX", None)
    if not (e.get("DISPLAY") or e.get("WAYLAND_DISPLAY")):
        e["QT_QPA_PLATFORM"] = "offscreen"
    return e


def launch_once(code: str) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8") as fh:
        fh.write(code)
        script = fh.name
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, script], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env(), cwd=str(ROOT), text=True)
        for line in proc.stdout:
            if line.startswith("PAINTED"):
                dt = time.perf_counter() - t0
                break
        else:
            proc.wait()
            raise RuntimeError(f"the window never painted (exit {proc.returncode})")
        proc.wait(timeout=30)
        return dt
    finally:
        os.unlink(script)


def bench_launch(runs: int, args: list[str], code: str | None = None) -> tuple[float, float]:
    bare, main = [], []
    code = code if code is not None else MAIN.format(root=str(ROOT), args=args)
    launch_once(BARE)                      # warm the file cache once, not counted
    launch_once(code)
    for _ in range(runs):                  # alternate, so drifts hit both alike
        bare.append(launch_once(BARE))
        main.append(launch_once(code))
    return statistics.median(bare), statistics.median(main)


def bench_against(runs: int, args: list[str], other: Path) -> dict[str, float]:
    """The bare label, ``other`` (a copy of another commit of this program, e.g. a ``git
    archive`` of it) and this program, launched in turn launch by launch, so that all three
    meet the same load; medians, and the medians of each round's ratio to its bare launch."""
    codes = {"bare": BARE, "other": MAIN.format(root=str(other), args=args),
             "this": MAIN.format(root=str(ROOT), args=args)}
    for code in codes.values():
        launch_once(code)                  # warm the file cache once, not counted
    t: dict[str, list[float]] = {k: [] for k in codes}
    for _ in range(runs):
        for k, code in codes.items():
            t[k].append(launch_once(code))
    out = {k: statistics.median(v) for k, v in t.items()}
    for k in ("other", "this"):
        out[k + "_ratio"] = statistics.median(a / b for a, b in zip(t[k], t["bare"], strict=True))
    return out


def report_with_findings():
    """The example report made to give about 60 findings (a baseline that disagrees,
    unbalanced table 三, numbers in the text that contradict the tables, wrong heads)."""
    from model import paths, project, schema
    r = project.load(paths.EXAMPLE_REPORT)
    b = r.copy()
    b.baseline = None
    b.year = (r.year or 2025) - 1
    for cid, v in list(b.values.items()):
        if isinstance(v, int):
            b.values[cid] = v * 7 + 3
    r.baseline, r.baseline_own = b, True
    for col, _ in schema.T3_COLUMNS:
        if col != "total":
            cid = schema.t3("carried_out", col)
            r.values[cid] = r.num(cid) + 1
    r.recompute_totals()
    wrong = "本年度收到政府信息公开申请999件。行政复议77件，行政诉讼66件。制发规范性文件55件。\n"
    for sid, times in (("overview", 3), ("problems", 3), ("other", 1)):
        r.sections[sid] = ((r.sections[sid] or "") + "\n" + wrong * times
                           + "一、主动公开情况\n二、依申请公开\n")
    return r


def bench_keystroke(keys: int, off_screen: bool = False) -> dict:
    """Commit ``keys`` values into a table-三 cell, alternately balancing and unbalancing
    its column (so the number of findings changes at every keystroke), with about 60
    findings in the problems panel.  A keystroke is done when the event queue has
    been drained twice after the commit (the queued commit, then the repaints it
    posted); the paint events of the table, the problems list and the step list are
    counted meanwhile.  With ``off_screen`` the table is scrolled so that the changed
    rows are not visible (no table repaint is due then)."""
    os.environ.update({k: v for k, v in env().items() if k == "QT_QPA_PLATFORM"})
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

    from gui.app import make_app
    app = make_app([sys.argv[0]])
    from gui.document import ReportDocument
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from model import schema

    report = report_with_findings()
    tmp = tempfile.mkdtemp()
    w = MainWindow(ReportDocument(report),
                   Settings(QSettings(tmp + "/s.ini", QSettings.Format.IniFormat)), autosave=False)
    w.resize(1440, 920)
    w.show()
    view = w.show_step("requests").view
    from gui.document import STEPS
    deadline = time.perf_counter() + 10
    # the window settled: checked, and the pages built after the first paint are built
    while (w.doc.check_pending or not all(s in w.pages for s, _ in STEPS)) \
            and time.perf_counter() < deadline:
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    n_findings = len(w.doc.findings)

    def send(target, ch: str, key=Qt.Key.Key_unknown) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))

    paints: dict[str, int] = {}

    class PaintSpy(QObject):
        def __init__(self, name: str):
            super().__init__()
            self.name = name

        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint:
                paints[self.name] = paints.get(self.name, 0) + 1
            return False

    spies = [PaintSpy("table"), PaintSpy("problems"), PaintSpy("steps")]
    view.viewport().installEventFilter(spies[0])
    w.problems.tree.viewport().installEventFilter(spies[1])
    w.nav.viewport().installEventFilter(spies[2])

    cell = schema.t3("carried_out", "research")
    r = w.doc.report
    balanced = r.num(schema.t3("new", "research")) + r.num(schema.t3("carried_in", "research")) \
        - r.num(schema.t3("results_total", "research"))
    times, counts, changed = [], [], 0
    for i in range(keys):
        view.select_cell(cell)
        if off_screen:
            view.scrollTo(view.model().index(view.model().rowCount() - 1, 0),
                          QAbstractItemView.ScrollHint.PositionAtBottom)
            view.scrollTo(view.model().index(0, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        for _ in range(3):
            app.processEvents()
        value = str(balanced + (i % 2))
        before = len(w.doc.findings)
        send(view, value[0])                      # opens the editor with the digit
        editor = next(e for e in view.viewport().findChildren(QLineEdit) if e.isVisible())
        for ch in value[1:]:
            send(editor, ch)
        for _ in range(3):
            app.processEvents()
        paints.clear()
        done: list[float] = []
        t0 = time.perf_counter()
        send(editor, "\r", Qt.Key.Key_Return)    # commit: parse, store, recompute, re-check
        QTimer.singleShot(0, lambda d=done: QTimer.singleShot(0, lambda: d.append(time.perf_counter())))
        deadline = t0 + 5.0
        while not done and time.perf_counter() < deadline:
            app.processEvents()
        if not done:
            raise RuntimeError("the event queue never drained after a keystroke")
        times.append(done[0] - t0)
        for _ in range(5):                        # late repaints are counted, not timed
            app.processEvents()
        counts.append(dict(paints))
        changed += len(w.doc.findings) != before
    assert w.doc.report.values[cell] == balanced + (keys - 1) % 2
    times.sort()
    worst = {k: max(c.get(k, 0) for c in counts) for k in ("table", "problems", "steps")}
    return {"median": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)],
            "findings": n_findings, "changed": changed, "repaints": worst}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keys", type=int, default=60)
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="compile every module at each start (no .pyc), for both windows")
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="also launch the program in DIR (another commit's copy) in turn with "
                         "this one and the bare label, launch by launch")
    ap.add_argument("--floor", action="store_true",
                    help="also time the floor of main.py FILE: a bare QMainWindow of the same "
                         "shape over the model (see FLOOR)")
    args = ap.parse_args()
    global BYTECODE_CACHE
    BYTECODE_CACHE = not args.no_bytecode_cache
    sys.path.insert(0, str(ROOT))
    from model import paths
    # a copy of the example: the window locks the file it opens, and the bench quits it
    # without closing it (the lock stays, stale, beside the copy, not in resources/)
    example = Path(_SANDBOX) / paths.EXAMPLE_REPORT.name
    example.write_bytes(paths.EXAMPLE_REPORT.read_bytes())
    for label, argv in (("uv run main.py FILE", [str(example)]),
                        ("uv run main.py (start screen)", [])):
        if not args.runs:
            break
        bare, main_ = bench_launch(args.runs, argv)
        ratio = main_ / bare
        cache = "bytecode cached" if BYTECODE_CACHE else "no bytecode cache"
        print(f"launch → painted, {label} (median of {args.runs}, {cache}):  bare label "
              f"{bare * 1000:7.0f} ms   ours {main_ * 1000:7.0f} ms   ratio {ratio:4.2f}  "
              f"[{'OK' if ratio <= 1.5 else 'OVER'} target ≤ 1.5]")
    if args.against and args.runs:
        for label, argv in (("uv run main.py FILE", [str(example)]),
                            ("uv run main.py (start screen)", [])):
            r = bench_against(args.runs, argv, args.against.resolve())
            print(f"launch → painted, {label}, in turn launch by launch (median of {args.runs}):  "
                  f"bare {r['bare'] * 1000:5.0f} ms   {args.against} {r['other'] * 1000:5.0f} ms "
                  f"({r['other_ratio']:.2f} ×)   this {r['this'] * 1000:5.0f} ms ({r['this_ratio']:.2f} ×)"
                  "   (× = median of each round's ratio to its bare launch)")
    if args.floor and args.runs:
        bare, floor = bench_launch(args.runs, [], FLOOR.format(root=str(ROOT)))
        print(f"launch → painted, floor of main.py FILE (median of {args.runs}):  bare label "
              f"{bare * 1000:7.0f} ms   floor {floor * 1000:7.0f} ms   ratio {floor / bare:4.2f}")
    for off in ((False, True) if args.keys else ()):
        k = bench_keystroke(args.keys, off_screen=off)
        where = "changed rows off screen" if off else "changed rows on screen"
        print(f"keystroke → repainted ({args.keys} edits, {k['findings']} findings, count changed "
              f"{k['changed']}×, {where}):  median {k['median'] * 1000:5.1f} ms   "
              f"p95 {k['p95'] * 1000:5.1f} ms  [{'OK' if k['p95'] <= 0.016 else 'OVER'} target ≤ 16 ms]"
              f"   repaints per keystroke (most): {k['repaints']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

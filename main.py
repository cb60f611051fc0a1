"""Nianbao 年报 — entry point.

``uv run main.py``               opens the window (start screen)
``uv run main.py FILE``          opens a project file or imports any readable report
``uv run main.py check|import|render …``   the headless engine (see ``model/cli.py``)
"""
from __future__ import annotations

import sys

# = model.cli.COMMANDS (tests/test_main_commands.py keeps the two equal): importing
# model.cli would load every reader and argparse before the window can appear
COMMANDS = ("check", "import", "render", "audit", "combine", "register", "compare")


def _utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _before_qt() -> None:
    """Import the plain-Python modules that the main window needs before its first paint,
    before PySide6 is imported: once PySide6 is loaded it reads the source of every
    module imported after it (looking for ``from __feature__ import``) until gui.app
    answers that scan.  The start screen needs none of them before its first paint."""
    import model.importers
    import model.lock
    import model.project  # noqa: F401  (the file is read, locked and shown)


def main(argv: list[str]) -> int:
    """``argv`` without the program name (``sys.argv[1:]``)."""
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        _utf8_streams()
        from gui.renderers import register  # the PDF format; Qt loads only when a PDF is made
        register()
        from model.cli import main as cli_main
        return cli_main(argv)
    if any(not a.startswith("-") for a in argv):
        _before_qt()                # the main window opened on FILE
    from gui.app import run  # Qt is loaded only for the window
    return run([sys.argv[0] if sys.argv else "nianbao", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

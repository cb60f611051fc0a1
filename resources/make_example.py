"""Writes ``resources/example.nianbao`` from ``model/example.py``: ``uv run python resources/make_example.py``."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model import example, project  # noqa: E402
from model.paths import EXAMPLE_REPORT  # noqa: E402

if __name__ == "__main__":
    project.save(example.build(), EXAMPLE_REPORT)
    print(f"wrote {EXAMPLE_REPORT}")

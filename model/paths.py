"""The one module that knows where the project's own files are."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
RESOURCES_DIR = ROOT / "resources"
ICONS_DIR = RESOURCES_DIR / "icons"
STYLES_DIR = RESOURCES_DIR / "styles"
EXAMPLE_REPORT = RESOURCES_DIR / "example.nianbao"
REFERENCE_DOCX = RESOURCES_DIR / "reference.docx"

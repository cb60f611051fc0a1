"""Errors the core raises; every message is in Chinese and shown to the user as is."""
from __future__ import annotations


class NianbaoError(Exception):
    """Base class: ``str(exc)`` is a complete Chinese sentence for the user."""


class ReadError(NianbaoError):
    """A file could not be read as a report (damaged, wrong kind, unsafe, too large)."""


class ProjectError(ReadError):
    """A ``.nianbao`` project file could not be loaded."""


class RenderError(NianbaoError):
    """A report could not be rendered (template error, sandbox violation, unwritable path)."""

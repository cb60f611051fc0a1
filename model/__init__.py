"""Nianbao's core: plain Python, never Qt.

schema (the official format), report (one report), rules (the checker),
project (.nianbao files), importers, renderers.  ``gui/`` is a thin shell over
this package; the contract is enforced by ``tests/test_architecture.py``.
"""

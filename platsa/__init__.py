"""Platsa: assess a place, recommend actions, co-create, plan and follow up."""

import os

# openpyxl parses a workbook with lxml whenever lxml is installed (python-docx brings it).
# The bounds on hostile spreadsheets (entity bombs, huge dimensions, cells without values,
# ``platsa.core.io.tabular``) are built on its other parser, with defusedxml; keep that one
# whatever else is installed. Set before anything imports openpyxl: every entry point
# (manage.py, the WSGI app, the ``platsa`` command, the tests) imports this package first.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"

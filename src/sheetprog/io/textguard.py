"""Text written into files a spreadsheet or a terminal may open (issue 20): control
characters out, and a guard on text that a spreadsheet would run as a formula.

One place for the rule, used by every CSV and sheet sheetprog writes:

- ``clean``: the C0 control characters but tab and line breaks, DEL and the two XML
  non-characters are removed (NUL, ESC, BEL reached every CSV; ``_x0000_`` in a cell is a
  NUL once read);
- ``formula_like``: whether the first visible character — after the removed characters and
  any leading white space, which LibreOffice and Excel skip when they evaluate — is one of
  ``= + - @`` (OWASP "CSV injection"); such text gets the quote prefix in a sheet and an
  apostrophe in a CSV.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@")
_SPACES = " \t\r\n\u00a0\u2007\u202f\u2009\u200b\ufeff"


def clean(text: str) -> str:
    """``text`` without control characters (tab and line breaks stay)."""
    return CONTROL.sub("", text)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (see the module docstring)."""
    return clean(text).lstrip(_SPACES).startswith(FORMULA_START)


def csv_text(text: str) -> str:
    """``text`` as a CSV field: cleaned, with an apostrophe before formula-like text."""
    text = clean(text)
    return "'" + text if formula_like(text) else text

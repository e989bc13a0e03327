"""Text in exported spreadsheets stays text: no name or note ever runs as a formula.

A cadre named "=HYPERLINK(…)" or a note starting with "+", "-", "@" would become a live formula
in Excel or LibreOffice ("formula injection", OWASP's CSV injection): written by openpyxl as a
formula outright when it starts with "=", or turned into one the moment a user edits the cell
or opens a CSV. Every export writer goes through this module:

- .xlsx written by openpyxl: `text_cell` / `write_only_row` store every string as a string
  (never openpyxl's inferred formula or error type) and mark a risky one `quotePrefix`, Excel's
  own "this is text" flag, which survives editing and leaves the value itself unchanged, so an
  export still re-imports as it was;
- .xlsx written by `canbo.exchange.xlsx.XlsxWriter`: strings are inline text already; it gives a
  risky one a quotePrefix format (`is_formula_like`);
- CSV has no types: `csv_field` prefixes a risky text with an apostrophe, as OWASP recommends.

Numbers, dates and booleans are values, not text, and are written unchanged: -5 stays a number.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

# What spreadsheet programs read as the start of a formula (OWASP), with the full-width forms
# that some of them also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


_STARTS = frozenset(FORMULA_STARTS)


def is_formula_like(value) -> bool:
    """A text that a spreadsheet program could take for a formula (called for every text cell)."""
    if not isinstance(value, str) or not value:
        return False
    first = value[0]
    if first == " ":
        first = value.lstrip(" ")[:1]
    return first in _STARTS


def csv_field(value):
    """A CSV field as written: a risky text behind an apostrophe, anything else unchanged."""
    return "'" + value if is_formula_like(value) else value


def text_cell(cell, value):
    """Put `value` in an openpyxl cell; a string is stored as a string, quote-prefixed when risky."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def _typed_by_openpyxl(value) -> bool:
    """A string openpyxl would not store as a string: a formula ("=…") or an error code ("#N/A")."""
    return isinstance(value, str) and (is_formula_like(value) or value in ERROR_CODES)


def write_only_row(sheet, values) -> list:
    """A row for `sheet.append` in openpyxl's write-only mode, such strings wrapped as text cells.

    Plain strings are passed as they are: a cell object for each would slow a 100,000-row list.
    """
    return [text_cell(WriteOnlyCell(sheet), value) if _typed_by_openpyxl(value) else value for value in values]

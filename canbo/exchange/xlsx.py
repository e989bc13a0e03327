"""Streaming .xlsx reading and writing for imports, exports and templates.

openpyxl's read-only and write-only modes cost about 20 µs a cell on this project's machines
(100,000 people rows of 23 columns: ~45 s to read, as long again to write), which alone would
eat the import and export budgets (120 s and 60 s). Here the sheet XML is parsed with expat
and written as text, five times faster, in bounded memory. openpyxl is still used for what it
does well and cheaply: telling date number formats apart, and building files in the tests.

The reader also refuses what is not an .xlsx workbook, with a message a user can act on: an
OLE compound file is either a legacy .xls or a password-encrypted .xlsx (Excel wraps an
encrypted package in an OLE container with an "EncryptedPackage" stream).

An .xlsx is a zip, and a zip can hold a "bomb": 306 KB that inflate to one 300 MB cell. So
before any part is inflated the reader checks the sizes the zip's directory declares (zipfile
never inflates a member past its declared size, so they bound what is read): the whole package
and each part's compression ratio (`read_limits`, from the settings). While parsing, a cell's
text stops being collected at the cell limit: the cell becomes an `OversizedCell`, which the
columns report as a row error.
"""

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

from canbo.common.spreadsheets import is_formula_like

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
MAX_DATA_ROWS = 250_000
_FEED_SIZE = 1 << 16
# Built-in number formats that are dates in some locale but absent from openpyxl's table.
_LOCALE_DATE_FORMATS = set(range(27, 37)) | set(range(50, 59))
_EPOCH_1900 = dt.date(1899, 12, 30)
_EPOCH_1904 = dt.date(1904, 1, 1)
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ReadLimits:
    """What an uploaded workbook may hold, checked before (sizes) and while (cells) it is read."""

    max_uncompressed_bytes: int  # all parts of the package together, inflated
    max_ratio: int  # inflated size / compressed size of one part…
    ratio_from_bytes: int  # …for parts larger than this (small XML parts compress very well)
    max_cell_chars: int
    max_parts: int


def read_limits() -> ReadLimits:
    """The limits from the settings (CANBO_IMPORT_*), with defaults that fit the largest legitimate
    file: 250,000 rows of the people template inflate to about 350 MB and compress about 15:1."""
    return ReadLimits(
        max_uncompressed_bytes=getattr(settings, "CANBO_IMPORT_MAX_UNCOMPRESSED_MB", 512) * 2**20,
        max_ratio=getattr(settings, "CANBO_IMPORT_MAX_COMPRESSION_RATIO", 100),
        ratio_from_bytes=2**20,
        max_cell_chars=getattr(settings, "CANBO_IMPORT_MAX_CELL_CHARS", 32_767),
        max_parts=getattr(settings, "CANBO_IMPORT_MAX_PARTS", 10_000),
    )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def check_package(archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Refuse a package whose declared sizes exceed the limits, before any part is inflated."""
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise SpreadsheetRefused(
            _("Tệp gồm hơn %(limit)s phần, vượt giới hạn của hệ thống; đây không phải là một bảng tính thông thường.")
            % {"limit": _number(limits.max_parts)}
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise SpreadsheetRefused(
            _(
                "Tệp khi giải nén lớn hơn %(limit)s MB, vượt giới hạn của hệ thống; hệ thống không đọc tệp này. "
                "Hãy chia thành nhiều tệp nhỏ hơn."
            )
            % {"limit": _number(limits.max_uncompressed_bytes // 2**20)}
        )
    for info in infos:
        if info.file_size > limits.ratio_from_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise SpreadsheetRefused(
                _(
                    "Tệp có phần «%(part)s» nén bất thường (giải nén lớn gấp hơn %(limit)s lần), dấu hiệu của tệp "
                    "được tạo để làm quá tải hệ thống; hệ thống không đọc tệp này. Hãy mở tệp trong Excel, "
                    "kiểm tra nội dung rồi lưu lại."
                )
                % {"part": info.filename[:100], "limit": _number(limits.max_ratio)}
            )


@dataclass(frozen=True)
class OversizedCell:
    """A cell whose text is longer than the limit: only its limit is kept, never the text."""

    limit: int


class _HeadRead(Exception):
    """Stops the parser once the sheet's head (before the data) has been read."""


class SpreadsheetRefused(Exception):
    """The upload is not a workbook this module can read; `message` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def not_a_spreadsheet() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("Tệp không phải là bảng tính Excel (.xlsx). Hãy chọn tệp mẫu đã tải về hoặc một tệp lưu từ Excel.")
    )


def refuse_unreadable(data: bytes) -> None:
    """Raise SpreadsheetRefused unless `data` looks like an .xlsx package."""
    if not data:
        raise SpreadsheetRefused(_("Tệp rỗng: không có dữ liệu."))
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise SpreadsheetRefused(
                _(
                    "Tệp được bảo vệ bằng mật khẩu (đã mã hóa) nên không đọc được. Hãy mở tệp trong Excel, "
                    "gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), "
                    "lưu lại rồi tải lên."
                )
            )
        raise SpreadsheetRefused(
            _(
                "Định dạng .xls (Excel 97-2003) không được hỗ trợ. Hãy mở tệp trong Excel và lưu lại "
                "dưới dạng «Sổ làm việc Excel (.xlsx)» rồi tải lên."
            )
        )
    if not data.startswith(ZIP_MAGIC):
        raise not_a_spreadsheet()


# Reading ------------------------------------------------------------------------------------


def column_index(letters: str) -> int:
    """0-based index of a column: A → 0, Z → 25, AA → 26."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def column_letter(index: int) -> str:
    """Letters of a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _local(name: str) -> str:
    # Elements may carry a namespace prefix ("x:c") in files written by other tools.
    return name.rpartition(":")[2]


def _new_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse_doctype(*_args):
        # A workbook never declares a DTD; refusing one rules out entity-expansion tricks.
        raise not_a_spreadsheet()

    parser.StartDoctypeDeclHandler = refuse_doctype
    return parser


def _parse_whole(data: bytes, start, end=None, chars=None) -> None:
    parser = _new_parser()
    parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if chars:
        parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise not_a_spreadsheet() from None


def excel_serial_to_date(serial: float, *, date1904: bool = False) -> dt.datetime:
    """A date-time from an Excel serial number (1900 system with Lotus's leap-year bug, or 1904)."""
    if date1904:
        base = dt.datetime.combine(_EPOCH_1904, dt.time())
    elif serial < 61:
        # Serials before 1 March 1900 count from 31 December 1899 (Excel believes 1900 was leap).
        base = dt.datetime(1899, 12, 31)
    else:
        base = dt.datetime.combine(_EPOCH_1900, dt.time())
    return base + dt.timedelta(days=serial)


def date_to_excel_serial(value: dt.date) -> int:
    serial = (value - _EPOCH_1900).days
    return serial - 1 if serial < 61 else serial


@dataclass
class SheetRef:
    name: str
    path: str
    visible: bool


@dataclass
class SheetStream:
    """Rows of one sheet as (Excel row number, [cell values by 0-based column])."""

    book: "XlsxReader"
    ref: SheetRef
    hidden_columns: set[int] = field(default_factory=set)
    dimension_rows: int | None = None
    rows_seen: int = 0  # rows with content parsed so far
    bytes_seen: int = 0  # uncompressed XML parsed up to the last of them

    def __iter__(self) -> Iterator[tuple[int, list]]:
        book = self.book
        shared = book.shared_strings
        date_styles = book.date_styles
        date1904 = book.date1904
        pending: list[tuple[int, list]] = []
        # One mutable record of where the parser stands; closures read it faster than attributes.
        state = {"row": 0, "cells": {}, "col": 0, "next_col": 0, "type": "n", "style": 0, "text": None,
                 "collect": False, "phonetic": 0, "length": 0, "oversized": False}  # fmt: skip
        parts: list[str] = []
        stream = self
        max_chars = book.limits.max_cell_chars

        def start(name, attrs):
            name = _local(name)
            if name == "c":
                ref = attrs.get("r")
                match = _CELL_REF.match(ref) if ref else None
                state["col"] = column_index(match.group(1)) if match else state["next_col"]
                state["type"] = attrs.get("t", "n")
                state["style"] = int(attrs.get("s", 0) or 0)
                state["text"] = None
                state["length"], state["oversized"] = 0, False
            elif name == "v" or (name == "t" and not state["phonetic"]):
                # Rich text has several <r><t> runs in one cell: they are joined.
                if state["text"] is None:
                    state["text"] = ""
                state["collect"] = True
                parts.clear()
            elif name == "row":
                number = attrs.get("r")
                state["row"] = int(number) if number else state["row"] + 1
                state["cells"] = {}
                state["next_col"] = 0
            elif name == "rPh":
                state["phonetic"] += 1
            elif name == "col":
                if attrs.get("hidden") in ("1", "true"):
                    low, high = int(attrs.get("min", 1)), int(attrs.get("max", 1))
                    # A hidden range may run to the last column (16384): keep what a table can use.
                    stream.hidden_columns.update(range(low - 1, min(high, 1000)))
            elif name == "dimension":
                ref = attrs.get("ref", "")
                match = _CELL_REF.match(ref.rpartition(":")[2])
                if match and ":" in ref:
                    stream.dimension_rows = int(match.group(2))

        def chars(data):
            if state["collect"] and not state["oversized"]:
                state["length"] += len(data)
                if state["length"] > max_chars:
                    state["oversized"] = True
                    parts.clear()
                else:
                    parts.append(data)

        def end(name):
            name = _local(name)
            if name == "c":
                if state["oversized"]:
                    value = OversizedCell(max_chars)
                else:
                    value = _cell_value(state["type"], state["text"], state["style"], shared, date_styles, date1904)
                if value is not None and value != "":
                    state["cells"][state["col"]] = value
                state["next_col"] = state["col"] + 1
                state["text"] = None
            elif name in ("v", "t"):
                if state["collect"]:
                    state["text"] += "".join(parts)
                    state["collect"] = False
            elif name == "row":
                cells = state["cells"]
                if cells:
                    values = [None] * (max(cells) + 1)
                    for index, value in cells.items():
                        values[index] = value
                    pending.append((state["row"], values))
                    stream.rows_seen += 1
                    stream.bytes_seen = parser.CurrentByteIndex
            elif name == "rPh":
                state["phonetic"] -= 1

        parser = _new_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        try:
            with book.zip.open(self.ref.path) as handle:
                while True:
                    chunk = handle.read(_FEED_SIZE)
                    parser.Parse(chunk, not chunk)
                    if pending:
                        yield from pending
                        pending.clear()
                    if not chunk:
                        break
        except (expat.ExpatError, zipfile.BadZipFile, EOFError, KeyError):
            raise not_a_spreadsheet() from None

    def size_estimate(self) -> int | None:
        """Rows with content, extrapolated from the XML read so far to the sheet's uncompressed size."""
        if not self.rows_seen or not self.bytes_seen:
            return None
        total = self.book.zip.getinfo(self.ref.path).file_size
        return max(self.rows_seen, round(self.rows_seen * total / self.bytes_seen))

    def estimated_rows(self) -> int | None:
        """Rows the sheet claims to hold (its dimension), read from the head of the XML only."""
        if self.dimension_rows is None:
            parser = _new_parser()
            found = {}

            def start(name, attrs):
                if _local(name) == "dimension":
                    found["ref"] = attrs.get("ref", "")
                elif _local(name) == "sheetData":
                    raise _HeadRead

            parser.StartElementHandler = start
            try:
                with self.book.zip.open(self.ref.path) as handle:
                    parser.Parse(handle.read(_FEED_SIZE), False)
            except (_HeadRead, expat.ExpatError):
                pass
            last = found.get("ref", "").rpartition(":")[2]
            match = _CELL_REF.match(last)
            if match and ":" in found.get("ref", ""):
                self.dimension_rows = int(match.group(2))
        return self.dimension_rows


def _cell_value(kind: str, text: str | None, style: int, shared: list[str], date_styles: set[int], date1904: bool):
    if text is None:
        return None
    if kind == "s":
        try:
            return shared[int(text)]
        except (ValueError, IndexError):
            return None
    if kind in ("inlineStr", "str"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "e":
        return text  # "#N/A", "#VALUE!": the column's parser reports it as a bad value
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(text.strip())
        except ValueError:
            return text
    text = text.strip()
    if not text:
        return None
    try:
        number = int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text
    if style in date_styles:
        try:
            return excel_serial_to_date(number, date1904=date1904)
        except (OverflowError, ValueError):
            return number
    return number


class XlsxReader:
    """An .xlsx workbook opened for streaming: its sheets, shared strings and date styles."""

    def __init__(self, data: bytes, limits: ReadLimits | None = None):
        refuse_unreadable(data)
        self.limits = limits or read_limits()
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            names = set(self.zip.namelist())
        except (zipfile.BadZipFile, EOFError, ValueError):
            raise not_a_spreadsheet() from None
        check_package(self.zip, self.limits)
        if "mimetype" in names and "content.xml" in names:
            raise SpreadsheetRefused(
                _("Tệp OpenDocument (.ods) không được hỗ trợ. Hãy lưu lại dưới dạng «Sổ làm việc Excel (.xlsx)».")
            )
        self.names = names
        workbook_path = self._office_document() or "xl/workbook.xml"
        if workbook_path not in names:
            raise not_a_spreadsheet()
        self.date1904 = False
        self.sheets = self._read_workbook(workbook_path)
        if not self.sheets:
            raise not_a_spreadsheet()
        base = posixpath.dirname(workbook_path)
        rels = self._relationships(workbook_path)
        self.shared_strings = self._read_shared_strings(self._target(base, rels, "sharedStrings"))
        self.date_styles = self._read_date_styles(self._target(base, rels, "styles"))

    # The package's parts ---------------------------------------------------------------------
    def _read(self, path: str) -> bytes:
        try:
            return self.zip.read(path)
        except (KeyError, zipfile.BadZipFile, EOFError):
            raise not_a_spreadsheet() from None

    def _office_document(self) -> str | None:
        if "_rels/.rels" not in self.names:
            return None
        found = []

        def start(name, attrs):
            if _local(name) == "Relationship" and attrs.get("Type", "").endswith("/officeDocument"):
                found.append(attrs.get("Target", "").lstrip("/"))

        _parse_whole(self._read("_rels/.rels"), start)
        return found[0] if found else None

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type suffix, target path) of a part."""
        rels_path = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        if rels_path not in self.names:
            return {}
        rels: dict[str, tuple[str, str]] = {}
        base = posixpath.dirname(part)

        def start(name, attrs):
            if _local(name) == "Relationship":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
                rels[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], path)

        _parse_whole(self._read(rels_path), start)
        return rels

    @staticmethod
    def _target(base: str, rels: dict[str, tuple[str, str]], kind: str) -> str | None:
        for rel_kind, path in rels.values():
            if rel_kind == kind:
                return path
        return None

    def _read_workbook(self, path: str) -> list[SheetRef]:
        rels = self._relationships(path)
        sheets: list[SheetRef] = []

        def start(name, attrs):
            name = _local(name)
            if name == "sheet":
                rel_id = next((v for k, v in attrs.items() if k == "id" or k.endswith(":id")), "")
                target = rels.get(rel_id)
                if target and target[1] in self.names:
                    sheets.append(SheetRef(attrs.get("name", ""), target[1], attrs.get("state", "visible") == "visible"))
            elif name == "workbookPr":
                self.date1904 = attrs.get("date1904") in ("1", "true")

        _parse_whole(self._read(path), start)
        return sheets

    def _read_shared_strings(self, path: str | None) -> list[str]:
        if not path or path not in self.names:
            return []
        strings: list[str | OversizedCell] = []
        parts: list[str] = []
        state = {"collect": False, "phonetic": 0, "length": 0}
        max_chars = self.limits.max_cell_chars

        def start(name, attrs):
            name = _local(name)
            if name == "si":
                parts.clear()
                state["length"] = 0
            elif name == "t" and not state["phonetic"]:
                state["collect"] = True
            elif name == "rPh":
                state["phonetic"] += 1

        def end(name):
            name = _local(name)
            if name == "si":
                strings.append(OversizedCell(max_chars) if state["length"] > max_chars else "".join(parts))
            elif name == "t":
                state["collect"] = False
            elif name == "rPh":
                state["phonetic"] -= 1

        def chars(data):
            if state["collect"] and state["length"] <= max_chars:
                state["length"] += len(data)
                if state["length"] > max_chars:
                    parts.clear()
                else:
                    parts.append(data)

        parser = _new_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        try:
            with self.zip.open(path) as handle:
                parser.ParseFile(handle)
        except (expat.ExpatError, zipfile.BadZipFile, EOFError):
            raise not_a_spreadsheet() from None
        return strings

    def _read_date_styles(self, path: str | None) -> set[int]:
        """Indexes of the cell formats (cellXfs) whose number format shows a date."""
        if not path or path not in self.names:
            return set()
        custom: dict[int, str] = {}
        xf_formats: list[int] = []
        state = {"in_cell_xfs": False}

        def start(name, attrs):
            name = _local(name)
            if name == "numFmt":
                try:
                    custom[int(attrs.get("numFmtId", -1))] = attrs.get("formatCode", "")
                except ValueError:
                    pass
            elif name == "cellXfs":
                state["in_cell_xfs"] = True
            elif name == "xf" and state["in_cell_xfs"]:
                try:
                    xf_formats.append(int(attrs.get("numFmtId", 0)))
                except ValueError:
                    xf_formats.append(0)

        def end(name):
            if _local(name) == "cellXfs":
                state["in_cell_xfs"] = False

        _parse_whole(self._read(path), start, end)
        dates = set()
        for index, format_id in enumerate(xf_formats):
            code = custom.get(format_id, BUILTIN_FORMATS.get(format_id))
            if format_id in _LOCALE_DATE_FORMATS or (code and is_date_format(code)):
                dates.add(index)
        return dates

    def stream(self, sheet: SheetRef) -> SheetStream:
        return SheetStream(self, sheet)


# Writing ------------------------------------------------------------------------------------

# Cell formats of styles.xml below, by index.
STYLE_DEFAULT = 0
STYLE_HEADER = 1
STYLE_DATE = 2
STYLE_TEXT = 3
STYLE_WRAP = 4
STYLE_TITLE = 5
STYLE_HEADER_REQUIRED = 6

_STYLES_XML_TEMPLATE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<fonts count="3">
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>
</fonts>
<fills count="4">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFFCE4D6"/><bgColor indexed="64"/></patternFill></fill>
</fills>
<borders count="2">
<border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>
</borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
{CELL_XFS}
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_CELL_FORMATS = (
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>',
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>',
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    '<xf numFmtId="49" fontId="1" fillId="3" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>',
)
# Each format again with quotePrefix, Excel's "this is text" flag, for a text that would
# otherwise read as a formula once edited (see canbo.common.spreadsheets): style n + QUOTED.
QUOTED = len(_CELL_FORMATS)
_STYLES_XML = _STYLES_XML_TEMPLATE.replace(
    "{CELL_XFS}",
    f'<cellXfs count="{2 * QUOTED}">'
    + "\n".join(_CELL_FORMATS)
    + "\n"
    + "\n".join(xf.replace("<xf ", '<xf quotePrefix="1" ', 1) for xf in _CELL_FORMATS)
    + "</cellXfs>",
)

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HIDDEN_STATE = ' state="hidden"'


def xml_text(value: str) -> str:
    value = _ILLEGAL_XML.sub("", value)
    if "&" in value or "<" in value or ">" in value or '"' in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return value


@dataclass(frozen=True)
class ColumnFormat:
    width: float = 14
    style: int = STYLE_DEFAULT  # the column's default format: typed values in Excel take it


@dataclass(frozen=True)
class ListValidation:
    """A drop-down on one column from row `first_row` down: inline values or a range formula."""

    column: int
    first_row: int
    source: str  # '"Nam,Nữ"' or "'Danh mục'!$A$2:$A$55"
    prompt: str = ""


class SheetWriter:
    """One worksheet written row by row into the package."""

    def __init__(self, book: "XlsxWriter", name: str, path: str, columns: list[ColumnFormat], freeze_rows: int,
                 validations: list[ListValidation], merges: list[str]):  # fmt: skip
        self.book = book
        self.name = name
        self.columns = columns
        self.validations = validations
        self.merges = merges
        self.rows_written = 0
        self.handle = book.zip.open(path, "w", force_zip64=True)
        self._buffer: list[str] = []
        self._letters = [column_letter(i) for i in range(max(len(columns), 1) + 50)]
        head = [
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">',
            '<sheetViews><sheetView workbookViewId="0"',
            ' tabSelected="1"' if not book.sheets else "",
            ">",
        ]
        if freeze_rows:
            head.append(
                f'<pane ySplit="{freeze_rows}" topLeftCell="A{freeze_rows + 1}" activePane="bottomLeft" state="frozen"/>'
            )
        head.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if columns:
            head.append("<cols>")
            for index, column in enumerate(columns, start=1):
                style = f' style="{column.style}"' if column.style else ""
                head.append(f'<col min="{index}" max="{index}" width="{column.width}" customWidth="1"{style}/>')
            head.append("</cols>")
        head.append("<sheetData>")
        self.handle.write("".join(head).encode("utf-8"))

    def row(self, values, *, style: int | None = None, styles: list[int] | None = None, height: float | None = None) -> None:
        """Append a row. Strings are inline text, dates date serials.

        `style` (one for the row) or `styles` (one per cell) override the columns' formats.
        """
        self.rows_written += 1
        number = self.rows_written
        letters = self._letters
        columns = self.columns
        ncols = len(columns)
        out = [f'<row r="{number}"' + (f' ht="{height}" customHeight="1"' if height else "") + ">"]
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            if index >= len(letters):
                letters.extend(column_letter(i) for i in range(len(letters), index + 50))
            ref = letters[index] + str(number)
            if styles is not None:
                cell_style = styles[index]
            else:
                cell_style = style if style is not None else (columns[index].style if index < ncols else 0)
            if isinstance(value, str):
                if cell_style == STYLE_DATE:
                    cell_style = STYLE_DEFAULT
                if is_formula_like(value):
                    cell_style += QUOTED
                s = f' s="{cell_style}"' if cell_style else ""
                text = xml_text(value)
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                out.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif isinstance(value, bool):
                out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date):
                day = value.date() if isinstance(value, dt.datetime) else value
                out.append(f'<c r="{ref}" s="{STYLE_DATE}"><v>{date_to_excel_serial(day)}</v></c>')
            elif isinstance(value, int | float):
                s = f' s="{cell_style}"' if cell_style and cell_style not in (STYLE_TEXT, STYLE_DATE) else ""
                out.append(f'<c r="{ref}"{s}><v>{value}</v></c>')
            else:
                text = xml_text(str(value))
                s = f' s="{STYLE_DEFAULT + QUOTED}"' if is_formula_like(text) else ""
                out.append(f'<c r="{ref}"{s} t="inlineStr"><is><t>{text}</t></is></c>')
        out.append("</row>")
        self._buffer.append("".join(out))
        if len(self._buffer) >= 500:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            self.handle.write("".join(self._buffer).encode("utf-8"))
            self._buffer.clear()

    def close(self) -> None:
        self.flush()
        tail = ["</sheetData>"]
        if self.merges:
            tail.append(f'<mergeCells count="{len(self.merges)}">')
            tail.extend(f'<mergeCell ref="{ref}"/>' for ref in self.merges)
            tail.append("</mergeCells>")
        if self.validations:
            tail.append(f'<dataValidations count="{len(self.validations)}">')
            for v in self.validations:
                letter = column_letter(v.column)
                prompt = f' showInputMessage="1" prompt="{xml_text(v.prompt[:250])}"' if v.prompt else ""
                tail.append(
                    f'<dataValidation type="list" errorStyle="warning" allowBlank="1" showErrorMessage="1"{prompt}'
                    f' sqref="{letter}{v.first_row}:{letter}1048576"><formula1>{xml_text(v.source)}</formula1></dataValidation>'
                )
            tail.append("</dataValidations>")
        tail.append("</worksheet>")
        self.handle.write("".join(tail).encode("utf-8"))
        self.handle.close()

    def __enter__(self) -> "SheetWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class XlsxWriter:
    """A workbook written sheet after sheet to a binary file object (one sheet open at a time)."""

    def __init__(self, target):
        # Level 1 deflate: a quarter of the time of the default for a file ~15% larger.
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheets: list[tuple[str, bool]] = []

    def sheet(
        self,
        name: str,
        *,
        columns: list[ColumnFormat] = (),
        freeze_rows: int = 0,
        validations: list[ListValidation] = (),
        merges: list[str] = (),
        hidden: bool = False,
    ) -> SheetWriter:
        path = f"xl/worksheets/sheet{len(self.sheets) + 1}.xml"
        writer = SheetWriter(self, name[:31], path, list(columns), freeze_rows, list(validations), list(merges))
        self.sheets.append((name[:31], hidden))
        return writer

    def close(self) -> None:
        sheets = self.sheets
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        self.zip.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self.zip.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_NS_PKG_REL}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        sheet_xml = "".join(
            f'<sheet name="{xml_text(name)}" sheetId="{i}"{HIDDEN_STATE if hidden else ""} r:id="rId{i}"/>'
            for i, (name, hidden) in enumerate(sheets, start=1)
        )
        self.zip.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
            '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheet_xml}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        rels += (
            f'<Relationship Id="rId{len(sheets) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        )
        self.zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_NS_PKG_REL}">{rels}</Relationships>',
        )
        self.zip.writestr("xl/styles.xml", _STYLES_XML)
        self.zip.close()

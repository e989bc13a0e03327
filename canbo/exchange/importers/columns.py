"""The columns of import templates: header, whether required, how a cell is read and written back.

A cell arrives as whatever the spreadsheet held: text in NFC or NFD with stray spaces, a
number where text was meant (a citizen ID whose leading zero Excel dropped), a date as a real
date, an Excel serial or dd/mm/yyyy text. Each column turns it into one model value or raises
CellError with a Vietnamese message; `to_cell` writes a value back so that an export re-imports
unchanged. Headers are the file format, not interface text: they stay Vietnamese in every
language, so they are not marked for translation.
"""

import abc
import datetime as dt
import re
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from canbo.common.text import clean_text, fold

from ..xlsx import STYLE_DATE, STYLE_DEFAULT, STYLE_TEXT, OversizedCell, excel_serial_to_date

EXCEL_CELL_LIMIT = 32_767  # characters a cell holds: the length of a column for a text without limit
# An empty cell never changes a stored value (a half-filled template must not wipe records);
# a cell holding exactly this marker empties the field. Compared without case or diacritics.
CLEAR_MARKER = "[xóa]"
_CLEAR_KEY = fold(CLEAR_MARKER)
NOT_CLEARABLE = object()  # `cleared` of a column whose field has no empty value
QUOTE_LIMIT = 100  # characters of a cell value quoted in a message


def quote(value) -> str:
    """A cell value as messages quote it: «…», cut to QUOTE_LIMIT characters.

    A message quotes what the user typed so they find it; a 300 MB cell must not make a 300 MB
    error report.
    """
    return f"«{shorten(value if isinstance(value, str) else cell_text(value))}»"


def shorten(text: str) -> str:
    return text[:QUOTE_LIMIT] + "…" if len(text) > QUOTE_LIMIT else text


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def header_key(text) -> str:
    """How headers are compared: no diacritics, case or spacing, and no required-marker "*"."""
    key = fold(str(text or "")).replace("*", " ").replace("(bat buoc)", " ").replace("()", " ")
    return " ".join(key.split()).strip(" :.")


def cell_text(value) -> str:
    """A cell as clean NFC text; integral numbers lose Excel's ".0"."""
    if value is None:
        return ""
    if isinstance(value, OversizedCell):
        raise CellError(
            _("Ô có hơn %(limit)s ký tự, vượt giới hạn của một ô; hãy rút gọn nội dung.")
            % {"limit": f"{value.limit:,}".replace(",", ".")}
        )
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return clean_text(str(value))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_clear_marker(value) -> bool:
    # Folded only when it may be the marker: this runs for every cell of a file.
    return isinstance(value, str) and len(value) < 20 and value.lstrip()[:1] == "[" and fold(value).strip() == _CLEAR_KEY


def format_date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_MONTH_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_SERIAL_MIN, _SERIAL_MAX = 1, 2_958_465  # 1/1/1900 … 31/12/9999


def parse_date(value, *, date1904: bool = False) -> dt.date:
    """A date from a date cell, an Excel serial (number or 5-digit text) or dd/mm/yyyy text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("Cần một ngày (dd/mm/yyyy), không phải giá trị Có/Không.")
    if isinstance(value, int | float):
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            return excel_serial_to_date(value, date1904=date1904).date()
        raise CellError(f"Số {quote(value)} không phải là một ngày. Ghi ngày theo dạng dd/mm/yyyy.")
    text = cell_text(value)
    if text.isdigit() and len(text) == 5:
        return excel_serial_to_date(int(text), date1904=date1904).date()
    match = _DATE_TEXT.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _ISO_TEXT.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"Ngày {quote(text)} không tồn tại (kiểm tra ngày và tháng).") from None
    if re.match(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}$", text):
        raise CellError(f"Ngày {quote(text)} ghi năm bằng hai chữ số; hãy ghi đủ bốn chữ số, ví dụ 17/05/1980.")
    raise CellError(f"Ngày {quote(text)} không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 17/05/1980.")


class Column(abc.ABC):
    """One column of a template. Subclasses define how a cell is parsed and written back."""

    style = STYLE_DEFAULT
    width = 16

    def __init__(
        self,
        field: str,
        header: str,
        *,
        required: bool = False,
        help: str = "",
        aliases: Iterable[str] = (),
        width: int | None = None,
        informational: bool = False,
        model_fields: Iterable[str] | None = None,
    ):
        self.field = field
        self.header = header
        self.required = required
        self.help = help
        self.aliases = tuple(aliases)
        self.informational = informational  # shown for the reader's sake; never written
        self.model_fields = tuple(model_fields) if model_fields is not None else (field,)
        if width is not None:
            self.width = width

    @property
    def keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(a) for a in self.aliases)}

    @property
    def template_header(self) -> str:
        return f"{self.header} *" if self.required else self.header

    @abc.abstractmethod
    def parse(self, value, ctx):
        """The cell's value for the record, or CellError with a Vietnamese message."""

    def cleared(self):
        """The field's value when its cell holds the clearing marker (NOT_CLEARABLE: no empty value)."""
        return None

    def to_cell(self, value):
        """The value written in an export cell, read back by `parse` as the same value."""
        return value

    def display(self, value) -> str:
        """The value as the preview shows it (before → after)."""
        cell = self.to_cell(value)
        if isinstance(cell, dt.date):
            return format_date(cell)
        return "" if cell is None else str(cell)

    def allowed_values(self) -> list[str]:
        return []

    def example(self) -> str:
        return ""


class TextColumn(Column):
    width = 24

    def __init__(self, field, header, *, max_length: int = 200, **kwargs):
        super().__init__(field, header, **kwargs)
        self.max_length = max_length

    def parse(self, value, ctx) -> str:
        text = cell_text(value)
        if len(text) > self.max_length:
            raise CellError(f"Dài quá {self.max_length} ký tự (đang có {len(text)}).")
        return text

    def cleared(self):
        return ""


class CodeColumn(TextColumn):
    """A code that matches a record (unit code, title code): text, even when typed as a number."""

    style = STYLE_TEXT
    width = 18

    def __init__(self, field, header, *, max_length: int = 60, **kwargs):
        super().__init__(field, header, max_length=max_length, **kwargs)


class CitizenIdColumn(Column):
    """The 12-digit personal identification number, which Excel loves to turn into a number."""

    style = STYLE_TEXT
    width = 16

    def parse(self, value, ctx) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        was_number = isinstance(value, int) and not isinstance(value, bool)
        text = str(value) if was_number else re.sub(r"[\s.\-]", "", cell_text(value))
        if not text.isdigit():
            raise CellError(f"Số định danh {quote(value)} chỉ được gồm chữ số.")
        if len(text) == 11 or (was_number and len(text) == 10):
            # Every number starts with 0 (the province code 0xx): as a number it loses one or two digits.
            lost = "chữ số 0" if len(text) == 11 else "hai chữ số 0"
            raise CellError(
                f"Số định danh «{text}» chỉ có {len(text)} chữ số: có lẽ Excel đã bỏ {lost} ở đầu vì ô được "
                "định dạng kiểu số. Hãy định dạng cột này là Văn bản (Text) và ghi đủ 12 chữ số."
            )
        if len(text) == 9:
            raise CellError(
                f"«{text}» là số chứng minh nhân dân 9 chữ số; hãy ghi số định danh cá nhân 12 chữ số."
            )
        if len(text) != 12:
            raise CellError(f"Số định danh phải gồm đúng 12 chữ số (đang có {len(text)}).")
        return text

    def example(self) -> str:
        return "001080012345"


class DateColumn(Column):
    style = STYLE_DATE
    width = 13

    def parse(self, value, ctx) -> dt.date:
        return parse_date(value, date1904=ctx.date1904)

    def example(self) -> str:
        return "17/05/1980"


class BirthDateColumn(DateColumn):
    """Date of birth with its precision: a full date, "mm/yyyy" or "yyyy" when day or month is unknown."""

    def __init__(self, field, header, *, precision_field: str, precisions, **kwargs):
        super().__init__(field, header, model_fields=(field, precision_field), **kwargs)
        self.precision_field = precision_field
        self.precisions = precisions  # the DatePrecision choices

    def parse(self, value, ctx) -> tuple[dt.date, str]:
        P = self.precisions
        if isinstance(value, int | float) and not isinstance(value, bool) and 1900 <= value <= 2100:
            return dt.date(int(value), 1, 1), P.YEAR
        text = cell_text(value) if not isinstance(value, dt.date) else ""
        if text.isdigit() and len(text) == 4:
            return dt.date(int(text), 1, 1), P.YEAR
        match = _MONTH_TEXT.match(text)
        if match:
            month, year = int(match.group(1)), int(match.group(2))
            if not 1 <= month <= 12:
                raise CellError(f"Tháng «{month}» không hợp lệ.")
            return dt.date(year, month, 1), P.MONTH
        return parse_date(value, date1904=ctx.date1904), P.DAY

    def to_cell(self, value):
        day, precision = value
        if day is None:
            return None
        if precision == self.precisions.YEAR:
            return f"{day:%Y}"
        if precision == self.precisions.MONTH:
            return f"{day:%m/%Y}"
        return day

    def example(self) -> str:
        return "17/05/1980; 05/1980; 1980"


_UNKNOWN = object()


class ChoiceColumn(Column):
    """A value of a closed list, typed as its label ("Nữ", "Chuyên viên chính") or its code."""

    width = 16

    def __init__(self, field, header, *, choices: Callable[[], list[tuple]] | list[tuple], aliases_of: dict | None = None,
                 cleared_to=NOT_CLEARABLE, pad: int | None = None, **kwargs):  # fmt: skip
        super().__init__(field, header, **kwargs)
        self._choices = choices
        self.aliases_of = aliases_of or {}
        self.cleared_to = cleared_to
        self.pad = pad
        self._lookup: dict[str, object] | None = None
        self._memo: dict[object, object] = {}  # raw cell → value: the same few values fill whole columns

    @property
    def choices(self) -> list[tuple]:
        return list(self._choices() if callable(self._choices) else self._choices)

    def lookup(self) -> dict[str, object]:
        if self._lookup is None:
            table: dict[str, object] = {}
            for value, _label in self.choices:
                table.setdefault(fold(str(value)), value)
            for value, label in self.choices:
                table[fold(str(label))] = value
            for alias, value in self.aliases_of.items():
                table.setdefault(fold(alias), value)
            self._lookup = table
        return self._lookup

    def parse(self, value, ctx):
        key = (type(value), value)
        found = self._memo.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._parse(value, ctx)
            if len(self._memo) < 10_000:
                self._memo[key] = found
        return found

    def _parse(self, value, ctx):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = cell_text(value)
        if self.pad and text.isdigit():
            text = text.zfill(self.pad)
        found = self.lookup().get(fold(text), _UNKNOWN)
        if found is _UNKNOWN:
            labels = self.allowed_values()
            listing = ", ".join(f"«{x}»" for x in labels) if len(labels) <= 12 else "xem trang «Hướng dẫn»"
            raise CellError(f"{quote(text)} không có trong danh sách giá trị; giá trị hợp lệ: {listing}.")
        return found

    def cleared(self):
        return self.cleared_to

    def to_cell(self, value):
        for choice, label in self.choices:
            if choice == value:
                return str(label)
        return "" if value is None else str(value)

    def allowed_values(self) -> list[str]:
        return [str(label) for _value, label in self.choices]


class AreaColumn(Column):
    """An administrative area: its official code, its name, or both ("00004 - Phường Ba Đình, …")."""

    width = 30

    def parse(self, value, ctx):
        return ctx.areas.resolve(cell_text(value))

    def to_cell(self, value):
        from .areas import area_label

        return area_label(value) if value is not None else None

    def example(self) -> str:
        return "00004 - Phường Ba Đình, Thành phố Hà Nội"

"""The import framework: an `Importer` per kind of record, registered by its kind.

An importer declares its columns (`columns.py`) and implements two steps over parsed rows:
`check` plans each row (create, update or unchanged, with the changed fields before → after)
and finds row errors from bulk lookups, without writing; `write` applies the planned rows
inside the import's single transaction. `canbo.exchange.engine.run_import` drives both. A later
capability adds its own kind by subclassing `Importer` and decorating it with `@register`.
"""

import abc
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from canbo.audit.models import AuditEvent

from .columns import Column

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
MESSAGE_LIMIT = 1000  # characters of one message: a last guard for values quoted without `quote`
SHOWN_VALUE_LIMIT = 200  # characters of a value shown in the preview (before → after)


def _bounded(message, limit: int = MESSAGE_LIMIT) -> str:
    message = str(message)
    return message if len(message) <= limit else message[:limit] + "…"


@dataclass(frozen=True)
class Issue:
    """An error or warning: Excel row number (None for the file), column header ("" for the row).

    Importers name columns by the template's headers; the engine then puts the header as the
    file spells it, and the cell reference ("B6"), so the user finds the cell in their file.
    """

    row: int | None
    column: str
    message: str
    cell: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "cell": self.cell, "message": self.message}


class RowPlan:
    """One data row: its parsed values, then what `check` decided to do with it."""

    __slots__ = ("number", "values", "errors", "warnings", "action", "label", "changes", "cleared", "target")

    def __init__(self, number: int, values: dict):
        self.number = number
        self.values = values
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.action = ""
        self.label = ""
        self.changes: list[tuple[str, str, str]] = []
        self.cleared: list[str] = []  # headers of the fields this row empties (the «[xóa]» marker)
        self.target = None  # what `write` needs: importer-specific

    def error(self, column: str, message: str) -> None:
        self.errors.append(Issue(self.number, column, _bounded(message)))

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(Issue(self.number, column, _bounded(message)))


class ImportContext:
    """What every importer shares during one run: who, through which policy, and lookups."""

    def __init__(self, *, actor, policy, source: str = AuditEvent.Source.IMPORT, date1904: bool = False):
        self.actor = actor
        self.policy = policy
        self.source = source
        self.date1904 = date1904

    @cached_property
    def areas(self):
        from .areas import AreaIndex

        return AreaIndex()


class Importer(abc.ABC):
    kind: ClassVar[str]  # "people": the --kind of the command, ?loai= of the pages
    label: ClassVar[str]  # "Cán bộ"
    sheet_name: ClassVar[str]
    template_filename: ClassVar[str]
    intro: ClassVar[str] = ""  # the first paragraph of the notes sheet
    columns: ClassVar[tuple[Column, ...]]
    order: ClassVar[int] = 100  # place in the lists of templates and kinds
    do_not_call_in_templates = True  # templates list importer classes; calling one would need a context
    # Whether the dry run also runs `write` (in a transaction rolled back at the end): true when
    # `write` goes through services whose cross-row rules (seat capacity, tree moves) `check`
    # cannot see, so the preview reports them too.
    write_in_dry_run: ClassVar[bool] = True

    def __init__(self, ctx: ImportContext, present: Iterable[Column] = ()):
        self.ctx = ctx
        self.present = {c.field for c in present}  # the columns the file has

    # Declared -------------------------------------------------------------------------------
    @abc.abstractmethod
    def check(self, rows: list[RowPlan]) -> None:
        """Parse-level and cross-row checks; errors go on the rows."""

    @abc.abstractmethod
    def write(self, rows: list[RowPlan]) -> None:
        """Create or update the records of valid rows, with their audit rows."""

    @classmethod
    @abc.abstractmethod
    def export_rows(cls, policy, unit) -> Iterator[list]:
        """Cell values, in column order, of the records of `unit`'s subtree the policy shows."""

    @classmethod
    def allowed_for(cls, field: str) -> list[str]:
        """Allowed values of a column that come from the database (e.g. the title codes)."""
        return []

    # Helpers --------------------------------------------------------------------------------
    @classmethod
    def column(cls, field: str) -> Column:
        return next(c for c in cls.columns if c.field == field)

    @classmethod
    def header_of_model_field(cls, name: str) -> str:
        for column in cls.columns:
            if name in column.model_fields and not column.informational:
                return column.header
        return ""

    def has(self, field: str) -> bool:
        return field in self.present

    def report_validation(self, row: RowPlan, exc: ValidationError, extra: dict[str, str] | None = None) -> None:
        """Put a model or service ValidationError on the row, each message under its column."""
        headers = extra or {}
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                header = headers.get(name) or ("" if name == NON_FIELD_ERRORS else self.header_of_model_field(name))
                for message in errors:
                    row.error(header, message)
        else:
            for message in exc.messages:
                row.error("", message)

    def describe_changes(self, row: RowPlan, before: dict, after: dict) -> None:
        """Fill row.changes with (header, before, after) for the present columns whose value differs,
        and row.cleared with the headers of those whose new value is empty."""
        for column in self.columns:
            if column.informational or column.field not in after:
                continue
            old, new = before.get(column.field), after[column.field]
            if old != new:
                shown_old, shown_new = column.display(old), column.display(new)
                row.changes.append((column.header, _bounded(shown_old, SHOWN_VALUE_LIMIT), _bounded(shown_new, SHOWN_VALUE_LIMIT)))
                if shown_old and not shown_new:
                    row.cleared.append(column.header)


REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    if importer.kind in REGISTRY and REGISTRY[importer.kind] is not importer:
        raise ValueError(f"import kind {importer.kind!r} is already registered")
    REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> type[Importer]:
    return REGISTRY[kind]


def registered() -> list[type[Importer]]:
    return sorted(REGISTRY.values(), key=lambda importer: (importer.order, importer.kind))


def as_date(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value

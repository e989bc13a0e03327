"""Running an import: find the table in the workbook, parse rows, check, and write all or nothing.

One function, `run_import`, serves the pages, the background task and the command. It reads
the file once as a stream, in chunks of rows:

1. the header row is the row (among the first 30 of the first sheet that has one) matching
   the most known headers, so title rows above it are skipped; unknown visible columns are
   reported as warnings, hidden unknown ones ignored, hidden known ones used;
2. each row's cells are parsed by their columns; an empty cell says nothing (the record keeps
   its value, like with an absent column) and only a cell holding the marker «[xóa]» empties a
   field, so a half-filled template cannot wipe records; the importer's `check` then plans the
   chunk with bulk lookups (create / update / unchanged, row errors, the fields a row empties,
   listed apart in `ImportReport.cleared`) without writing, and progress is reported after each
   chunk (outside any transaction, so another connection can see it);
3. with no error and `commit`, the importer's `write` applies the planned rows in ONE
   transaction: any error raised there rolls everything back. A dry run runs `write` too when
   the importer asks (its services check rules across rows), then rolls it back.

A second import of the same file plans every row as unchanged and writes nothing, so it adds
no audit rows.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from canbo.audit.models import AuditEvent
from canbo.common.text import clean_text

from .importers import importer_for
from .importers.base import CREATE, UNCHANGED, UPDATE, ImportContext, Importer, Issue, RowPlan
from .importers.columns import (
    CLEAR_MARKER,
    NOT_CLEARABLE,
    CellError,
    header_key,
    is_blank,
    is_clear_marker,
    quote,
    shorten,
)
from .xlsx import MAX_DATA_ROWS, SpreadsheetRefused, XlsxReader, column_letter

CHUNK_ROWS = 1000
HEADER_SCAN_ROWS = 30
PREVIEW_LIMIT = 1000  # rows shown in the preview; the counts cover every row
ERROR_LIMIT = 20_000
# Headers of numbering columns that tables often carry: neither data nor worth a warning.
IGNORED_HEADERS = {"stt", "tt", "so tt", "so thu tu"}


@dataclass
class ImportReport:
    kind: str
    dry_run: bool = True
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    # Every row that empties fields ({"row", "label", "fields": [headers]}), shown apart from the
    # preview so that no clearing hides among unchanged-looking rows.
    cleared: list[dict] = field(default_factory=list)
    cleared_rows: int = 0
    error_total: int = 0
    committed: bool = False
    refused: str = ""  # why the file as a whole was refused
    header_row: int | None = None
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return not self.refused and not self.error_total

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row is not None})

    def add_error(self, issue: Issue) -> None:
        self.error_total += 1
        if len(self.errors) < ERROR_LIMIT:
            self.errors.append(issue)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "refused": self.refused,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.total_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_total,
            "cleared_rows": self.cleared_rows,
            "cleared": self.cleared,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "preview": self.preview,
        }


class FileProblem(Exception):
    def __init__(self, message: str, issues: list[Issue] = ()):
        super().__init__(message)
        self.message = message
        self.issues = list(issues)


@dataclass
class Table:
    sheet: str
    header_row: int
    mapping: dict[int, object]  # 0-based column index → Column
    rows: Iterator[tuple[int, list]]
    estimated_rows: int | None
    warnings: list[Issue]
    # template header → (column letter, header as the file spells it)
    located: dict[str, tuple[str, str]] = field(default_factory=dict)

    def localize(self, issue: Issue) -> Issue:
        letter, spelled = self.located.get(issue.column, ("", issue.column))
        cell = f"{letter}{issue.row}" if letter and issue.row else ""
        return Issue(issue.row, spelled, issue.message, cell)


def locate_table(book: XlsxReader, importer: type[Importer]) -> Table:
    known: dict[str, object] = {}
    for column in importer.columns:
        for key in column.keys:
            known.setdefault(key, column)
    best = None
    for sheet in (s for s in book.sheets if s.visible):
        stream = book.stream(sheet)
        rows = iter(stream)
        head: list[tuple[int, list]] = []
        for row in rows:
            head.append(row)
            if len(head) >= HEADER_SCAN_ROWS:
                break
        for index, (_number, values) in enumerate(head):
            matched = {known[header_key(v)] for v in values if isinstance(v, str) and header_key(v) in known}
            if len(matched) >= min(2, len(importer.columns)) and (best is None or len(matched) > best[0]):
                best = (len(matched), sheet, stream, rows, head, index)
        if best is not None:
            break
    if best is None:
        required = ", ".join(f"«{c.header}»" for c in importer.columns if c.required)
        raise FileProblem(
            f"Không tìm thấy dòng tiêu đề của bảng «{importer.label}» trong tệp: cần các cột {required}. "
            "Hãy dùng tệp mẫu tải về từ hệ thống."
        )
    _count, sheet, stream, rows, head, index = best
    header_number, header_values = head[index]
    mapping: dict[int, object] = {}
    warnings: list[Issue] = []
    seen: dict[object, str] = {}
    located: dict[str, tuple[str, str]] = {}
    for col, value in enumerate(header_values):
        text = clean_text(value) if value is not None else ""
        key = header_key(text)
        column = known.get(key)
        cell = f"{column_letter(col)}{header_number}"
        if column is not None:
            if column in seen:
                warnings.append(
                    Issue(header_number, text, f"Cột «{text}» lặp lại cột «{seen[column]}»; chỉ dùng cột đầu tiên.", cell)
                )
                continue
            seen[column] = text
            mapping[col] = column
            located[column.header] = (column_letter(col), text.rstrip(" *").strip())
        elif key and key not in IGNORED_HEADERS and col not in stream.hidden_columns:
            warnings.append(Issue(header_number, shorten(text), f"Cột {quote(text)} không có trong mẫu nên được bỏ qua.", cell))
    missing = [c for c in importer.columns if c.required and c not in seen]
    if missing:
        issues = [Issue(header_number, c.header, f"Thiếu cột bắt buộc «{c.header}».") for c in missing]
        raise FileProblem(
            "Thiếu cột bắt buộc: " + ", ".join(f"«{c.header}»" for c in missing) + ". Hãy dùng tệp mẫu tải về từ hệ thống.",
            issues,
        )

    def data_rows():
        yield from head[index + 1 :]
        yield from rows

    # The sheet's dimension, or, for writers that omit it (streaming ones), the size of its XML
    # divided by the size of the rows read so far.
    estimate = stream.estimated_rows() or stream.size_estimate()
    return Table(
        sheet=sheet.name,
        header_row=header_number,
        mapping=mapping,
        rows=data_rows(),
        estimated_rows=max(estimate - header_number, 0) if estimate else None,
        warnings=warnings,
        located=located,
    )


def parse_row(number: int, values: list, mapping: dict, ctx: ImportContext) -> RowPlan | None:
    """The row's parsed values by column field, with cell errors; None for an empty row."""
    cells = [(column, values[col] if col < len(values) else None) for col, column in mapping.items()]
    if all(is_blank(raw) for _c, raw in cells):
        return None
    plan = RowPlan(number, {})
    for column, raw in cells:
        if is_blank(raw):
            # An empty cell says nothing: the record keeps its value (or gets the default).
            if column.required:
                plan.error(column.header, f"Thiếu «{column.header}».")
            continue
        if is_clear_marker(raw):
            value = column.cleared()
            if column.required:
                plan.error(column.header, _("Cột bắt buộc «%(column)s» không xóa được.") % {"column": column.header})
            elif value is NOT_CLEARABLE:
                plan.error(
                    column.header,
                    _("Cột «%(column)s» không xóa được bằng «%(marker)s»: hãy chọn một giá trị trong danh sách.")
                    % {"column": column.header, "marker": CLEAR_MARKER},
                )
            elif not column.informational:
                plan.values[column.field] = value
            continue
        try:
            plan.values[column.field] = column.parse(raw, ctx)
        except CellError as exc:
            plan.error(column.header, exc.message)
    return plan


def run_import(
    data: bytes,
    *,
    kind: str,
    actor,
    policy,
    commit: bool,
    progress: Callable[[int, int | None], None] | None = None,
    source: str = AuditEvent.Source.IMPORT,
    before_write: Callable[[int], None] | None = None,
    before_commit: Callable[[], None] | None = None,
) -> ImportReport:
    """Check the file and, with `commit` and no error, write it in one transaction.

    `before_write(rows)` is called just before that transaction opens; `before_commit()` inside
    it, as its last step before a commit: an exception there rolls everything back (a background
    job checks there that it still owns its job).
    """
    importer_class = importer_for(kind)
    report = ImportReport(kind=kind, dry_run=not commit)
    try:
        book = XlsxReader(data)
        table = locate_table(book, importer_class)
    except SpreadsheetRefused as exc:
        report.refused = exc.message
        return report
    except FileProblem as exc:
        report.refused = exc.message
        for issue in exc.issues:
            report.add_error(issue)
        return report
    report.sheet, report.header_row = table.sheet, table.header_row
    report.warnings.extend(table.warnings)
    ctx = ImportContext(actor=actor, policy=policy, source=source, date1904=book.date1904)
    importer = importer_class(ctx, present=table.mapping.values())

    to_write: list[RowPlan] = []
    chunk: list[RowPlan] = []
    # A dry run that will not write keeps only counts and the preview, not the planned records.
    keep = commit or importer.write_in_dry_run

    def flush():
        importer.check(chunk)
        for row in chunk:
            _account(report, row, to_write if keep else None, table)
        chunk.clear()
        if progress:
            progress(report.total_rows, table.estimated_rows)

    for number, values in table.rows:
        row = parse_row(number, values, table.mapping, ctx)
        if row is None:
            continue
        report.total_rows += 1
        if report.total_rows > MAX_DATA_ROWS:
            report.refused = f"Tệp có hơn {MAX_DATA_ROWS:,} dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn.".replace(",", ".")
            return report
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            flush()
    flush()
    if progress:
        progress(report.total_rows, report.total_rows)

    if commit and report.error_total:
        return report
    if not commit and not importer.write_in_dry_run:
        return report
    if not to_write:
        report.committed = commit
        return report
    if before_write:
        before_write(len(to_write))
    with transaction.atomic():
        importer.write(to_write)
        failed = [row for row in to_write if row.errors]
        for row in failed:
            for issue in row.errors:
                report.add_error(table.localize(issue))
        _drop_failed_from_preview(report, failed)
        report.committed = commit and not report.error_total
        if not report.committed:
            transaction.set_rollback(True)
        elif before_commit:
            before_commit()
    return report


def _account(report: ImportReport, row: RowPlan, to_write: list[RowPlan] | None, table: Table) -> None:
    row.values = None  # planned: `write` needs only row.target
    for issue in row.warnings:
        report.warnings.append(table.localize(issue))
    if row.errors:
        for issue in row.errors:
            report.add_error(table.localize(issue))
        return
    if row.action == UNCHANGED:
        report.unchanged += 1
        return
    if row.action == CREATE:
        report.created += 1
    elif row.action == UPDATE:
        report.updated += 1
    if to_write is not None:
        to_write.append(row)
    if row.cleared:
        report.cleared_rows += 1
        if len(report.cleared) < ERROR_LIMIT:
            report.cleared.append({"row": row.number, "label": row.label, "fields": list(row.cleared)})
    if len(report.preview) < PREVIEW_LIMIT:
        report.preview.append(
            {"row": row.number, "action": row.action, "label": row.label, "changes": [list(c) for c in row.changes],
             "cleared": list(row.cleared)}  # fmt: skip
        )


def _drop_failed_from_preview(report: ImportReport, failed: list[RowPlan]) -> None:
    """Rows that `write` refused are errors, not creations or updates."""
    if not failed:
        return
    numbers = {row.number for row in failed}
    for row in failed:
        if row.action == CREATE:
            report.created -= 1
        elif row.action == UPDATE:
            report.updated -= 1
    report.preview = [p for p in report.preview if p["row"] not in numbers]
    kept = [c for c in report.cleared if c["row"] not in numbers]
    report.cleared_rows -= len(report.cleared) - len(kept)
    report.cleared = kept

"""Query parameter types of the API: strict ISO dates, and the dated figures' date range.

Pydantic's lax date parsing also takes a Unix timestamp ("0" is 1 January 1970) or a datetime;
the schema promises `format: date`, so anything but YYYY-MM-DD is refused with a 422 naming
the parameter, as the schema says.
"""

import datetime as dt
import re
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Path, Query
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# The dashboard's parameters (age bands, targets) are in force from 1 January 2000: a figure
# as of an earlier day has no definition. The upper end is far enough for any plan.
FIGURES_FROM = dt.date(2000, 1, 1)
FIGURES_UNTIL = dt.date(2099, 12, 31)
FIGURES_DATE_PATTERN = r"^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def _iso_only(value):
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError(_("ngày không hợp lệ (dùng YYYY-MM-DD)"))
    return value


def _within_figures_range(value: dt.date) -> dt.date:
    if not FIGURES_FROM <= value <= FIGURES_UNTIL:
        raise ValueError(
            _("số liệu chỉ tính cho các ngày từ %(start)s đến %(end)s")
            % {"start": f"{FIGURES_FROM:%d/%m/%Y}", "end": f"{FIGURES_UNTIL:%d/%m/%Y}"}
        )
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_only)]


def _no_nul(value: str) -> str:
    # PostgreSQL refuses text containing NUL: without this a search would answer 500.
    if "\x00" in value:
        raise ValueError(_("không được chứa ký tự NUL (mã 0)"))
    return value


# The schema says so too (JSON Schema's pattern), so clients and schema-driven tests know.
SearchText = Annotated[str, AfterValidator(_no_nul), WithJsonSchema({"type": "string", "maxLength": 200, "pattern": r"^[^\x00]*$"})]

# JSON Schema cannot bound a date: the pattern documents the range (years 2000-2099) in the
# schema, and the validator enforces it.
FiguresDate = Annotated[
    dt.date,
    BeforeValidator(_iso_only),
    AfterValidator(_within_figures_range),
    WithJsonSchema({"type": "string", "format": "date", "pattern": FIGURES_DATE_PATTERN}),
]

AS_OF_DESCRIPTION = "Ngày xem, dạng YYYY-MM-DD (mặc định: hôm nay)."
FIGURES_AS_OF_DESCRIPTION = (
    f"Ngày của số liệu, dạng YYYY-MM-DD, từ {FIGURES_FROM:%d/%m/%Y} đến {FIGURES_UNTIL:%d/%m/%Y} "
    "(mặc định: hôm nay)."
)
AsOfParam = Query(None, description=AS_OF_DESCRIPTION)
FiguresAsOfParam = Query(None, description=FIGURES_AS_OF_DESCRIPTION)

# Ids are BigAutoField: a larger number cannot be a row and would overflow the database driver.
MAX_ID = 2**63 - 1


def id_path(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description)


def id_query(description: str):
    return Query(None, ge=1, le=MAX_ID, description=description)

"""Text normalization shared by search, imports and validation.

Vietnamese text arrives in NFC or NFD (macOS, some Excel exports). We store NFC and search
on a folded key: NFC → casefold → strip combining marks, with đ → d, so that
"nguyen van duc" finds "Nguyễn Văn Đức" on SQLite and PostgreSQL alike without extensions.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """NFC, trimmed, inner runs of whitespace collapsed to one space."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """The search key of a text: lower case, no diacritics, đ → d, single spaces."""
    text = clean_text(value).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def is_nfc(value: str) -> bool:
    return unicodedata.is_normalized("NFC", value)

"""Vietnamese text in the source is NFC (one code point per accented letter), so that what
users type (NFC) matches what templates and messages show, and searches find it."""

import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = {".py", ".html", ".po", ".yaml", ".yml", ".md", ".txt", ".css"}


def source_files():
    for base in (ROOT / "canbo", ROOT / "tests", ROOT / "bench", ROOT / "docs"):
        for path in base.rglob("*"):
            if path.suffix in SOURCE_SUFFIXES and "vendor" not in path.parts and path.is_file():
                yield path


@pytest.mark.parametrize("path", list(source_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_source_text_is_nfc(path):
    text = path.read_text(encoding="utf-8")
    bad = [n for n, line in enumerate(text.splitlines(), 1) if not unicodedata.is_normalized("NFC", line)]
    # tests may spell NFD on purpose with escapes; literal NFD characters are never intended.
    assert not bad, f"{path.relative_to(ROOT)}: lines not in NFC: {bad[:10]}"

"""Administrative areas named in a spreadsheet: by official code, by name, or both.

Areas are public reference data (no access scoping). An import reads the whole list once
(~14,000 rows nationally) into memory, so that 100,000 people rows cost no query per cell.
Exports write "code - full name", with "(cũ)" after an area of the pre-2025 regime, because
codes alone repeat across regimes (commune 00004 exists before and after 1 July 2025, and the
province code 01 too).
"""

import re
from collections import defaultdict

from canbo.areas.models import AdminArea
from canbo.common.text import clean_text, fold

from .columns import CellError, quote

LEGACY_MARK = "(cũ)"
_LEVEL_BY_CODE_LENGTH = {2: AdminArea.Level.PROVINCE, 3: AdminArea.Level.DISTRICT, 5: AdminArea.Level.COMMUNE}
_CODED = re.compile(r"^(\d{1,5})(?:\s*[-–—:]\s*(.*))?$")
_KIND_WORDS = ("phuong", "xa", "thi tran", "dac khu", "quan", "huyen", "thi xa", "thanh pho", "tinh")


def area_label(area: AdminArea) -> str:
    label = f"{area.code} - {area.full_name}"
    return f"{label} {LEGACY_MARK}" if area.regime == AdminArea.Regime.LEGACY else label


def _bare(key: str) -> str:
    """A folded name without its kind word: "phuong ba dinh" → "ba dinh"."""
    for word in _KIND_WORDS:
        if key.startswith(word + " "):
            return key[len(word) + 1 :]
    return key


class AreaIndex:
    def __init__(self, areas=None):
        areas = list(AdminArea.objects.with_parents() if areas is None else areas)
        self.by_code: dict[tuple[int, str], list[AdminArea]] = defaultdict(list)
        self.by_full: dict[str, list[AdminArea]] = defaultdict(list)
        self.by_name: dict[str, list[AdminArea]] = defaultdict(list)
        self.by_id: dict[int, AdminArea] = {}
        for area in areas:
            self.by_id[area.pk] = area
            self.by_code[(area.level, area.code)].append(area)
            self.by_full[fold(area.full_name)].append(area)
            key = fold(area.name)
            self.by_name[key].append(area)
            if _bare(key) != key:
                self.by_name[_bare(key)].append(area)
        self._cache: dict[str, AdminArea] = {}

    def resolve(self, text: str) -> AdminArea:
        text = clean_text(text)
        if text in self._cache:
            return self._cache[text]
        area = self._resolve(text)
        self._cache[text] = area
        return area

    def _resolve(self, text: str) -> AdminArea:
        legacy = fold(text).endswith(fold(LEGACY_MARK))
        if legacy:
            text = text[: text.rfind("(")].strip()
        match = _CODED.match(text)
        if match:
            code, name = match.group(1), (match.group(2) or "").strip()
            level = _LEVEL_BY_CODE_LENGTH.get(len(code))
            if level is None:
                raise CellError(
                    f"Mã đơn vị hành chính «{code}» không hợp lệ: mã tỉnh có 2 chữ số, mã huyện 3, mã xã 5."
                )
            candidates = self.by_code.get((level, code), [])
            if name:
                key = fold(name)
                named = [a for a in candidates if key in (fold(a.full_name), fold(a.name), _bare(fold(a.name)))]
                candidates = named or candidates
            if not candidates:
                raise CellError(f"Không có đơn vị hành chính mã «{code}».")
        else:
            name_part, _, parent_part = text.partition(",")
            candidates = self.by_full.get(fold(text), [])
            if not candidates:
                candidates = self.by_name.get(fold(name_part), [])
                parent_key = fold(parent_part)
                if parent_key:
                    candidates = [a for a in candidates if parent_key in fold(a.full_name.partition(",")[2])]
            if not candidates:
                raise CellError(f"Không tìm thấy đơn vị hành chính {quote(text)}.")
        return self._one(text, candidates, legacy=legacy)

    @staticmethod
    def _one(text: str, candidates: list[AdminArea], *, legacy: bool) -> AdminArea:
        regime = AdminArea.Regime.LEGACY if legacy else AdminArea.Regime.TWO_TIER
        preferred = [a for a in candidates if a.regime == regime]
        if legacy and not preferred:
            raise CellError(f"Không có đơn vị hành chính {quote(text)} trước ngày 01/07/2025.")
        # Without "(cũ)" the 2025 unit wins over a legacy one of the same code or name.
        chosen = preferred or candidates
        if len(chosen) == 1:
            return chosen[0]
        raise CellError(
            f"{quote(text)} trùng tên với {len(chosen)} đơn vị hành chính; hãy ghi kèm mã "
            "(ví dụ «00004 - Phường Ba Đình, Thành phố Hà Nội») hoặc tên tỉnh sau dấu phẩy."
        )

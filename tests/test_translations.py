"""The English catalogue: complete, consistent with its source, compiled, and actually served."""

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# %(name)s, %(n)d, %(seconds).1f … : what Python's %-formatting substitutes by name.
NAMED_PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
# Letters only Vietnamese uses (ă, đ, ơ, ư, ĩ, ũ and the Latin Extended Additional block with
# the stacked tone marks): their presence in an English msgstr means a copied source string.
VIETNAMESE_LETTER = re.compile(r"[\u0100-\u01ff\u1e00-\u1eff]")
# Proper names that stay Vietnamese by convention in English text.
PROPER_NAMES = ("Hà Nội", "NĐ-CP", "QĐ/TW", "Tiếng Việt")
# Entries whose English is legitimately the same string as the source.
SAME_IN_BOTH = {"API", "English", "Tiếng Việt", "%", "30–39", "40–49", "50–54"}


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_PATH))


def live_entries(po):
    return [e for e in po if not e.obsolete]


def translations_of(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def placeholders(text):
    return sorted(NAMED_PLACEHOLDER.findall(text))


def test_header_declares_english_plurals_and_utf8(catalogue):
    meta = catalogue.metadata
    assert meta["Language"] == "en"
    assert meta["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert meta["Content-Type"].lower() == "text/plain; charset=utf-8"
    assert not catalogue.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_fuzzy(catalogue):
    entries = live_entries(catalogue)
    assert len(entries) > 900  # a truncated catalogue must not pass as "complete"
    untranslated = [e.msgid for e in entries if not all(translations_of(e))]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_plural_entries_fill_both_forms(catalogue):
    plurals = [e for e in live_entries(catalogue) if e.msgid_plural]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
        assert all(entry.msgstr_plural.values()), entry.msgid


def test_placeholders_are_kept_exactly(catalogue):
    wrong = []
    for entry in live_entries(catalogue):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        wrong += [(src, text) for src, text in pairs if placeholders(src) != placeholders(text)]
    assert not wrong, wrong[:5]


def test_python_format_entries_keep_the_same_named_set(catalogue):
    """The exact check the brief asks for: for python-format entries, the set of %(x)s names."""
    for entry in live_entries(catalogue):
        if "python-format" not in entry.flags:
            continue
        names = set(re.findall(r"%\((\w+)\)", entry.msgid))
        for text in translations_of(entry):
            assert set(re.findall(r"%\((\w+)\)", text)) == names, (entry.msgid, text)


def test_translations_are_english_not_copied_source(catalogue):
    copied, vietnamese = [], []
    for entry in live_entries(catalogue):
        for text in translations_of(entry):
            if text == entry.msgid and entry.msgid not in SAME_IN_BOTH:
                copied.append(entry.msgid)
            stripped = text
            for name in PROPER_NAMES:
                stripped = stripped.replace(name, "")
            if VIETNAMESE_LETTER.search(stripped):
                vietnamese.append(text)
    assert not copied, copied[:5]
    assert not vietnamese, vietnamese[:5]


def test_msgids_and_msgstrs_are_nfc(catalogue):
    bad = []
    for entry in live_entries(catalogue):
        for text in [entry.msgid, entry.msgid_plural or "", *translations_of(entry)]:
            if not unicodedata.is_normalized("NFC", text):
                bad.append(text)
    assert not bad, bad[:5]


def test_compiled_catalogue_matches_the_po(catalogue):
    """A .po edited without running compilemessages fails here."""
    assert MO_PATH.exists(), (
        "run: cd canbo && ../.venv/bin/python ../manage.py compilemessages -l en"
    )
    mo = polib.mofile(str(MO_PATH))

    def as_dict(entries):
        out = {}
        for e in entries:
            if e.obsolete or not any(translations_of(e)) or "fuzzy" in e.flags:
                continue
            value = tuple(translations_of(e)) if e.msgid_plural else e.msgstr
            out[(e.msgctxt, e.msgid, e.msgid_plural or None)] = value
        return out

    po_dict, mo_dict = as_dict(catalogue), as_dict(mo)
    assert set(po_dict) == set(mo_dict), {
        "only in .po": sorted(k[1] for k in set(po_dict) - set(mo_dict))[:5],
        "only in .mo": sorted(k[1] for k in set(mo_dict) - set(po_dict))[:5],
    }
    changed = [k[1] for k in po_dict if po_dict[k] != mo_dict[k]]
    assert not changed, changed[:5]
    assert mo.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n!=1);"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_msgfmt_check_passes():
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(PO_PATH)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_key_strings_are_english_under_override():
    from django.utils.translation import gettext, ngettext

    from canbo.access.models import Role
    from canbo.people.catalogues import Category

    with translation.override("en"):
        assert gettext("Cán bộ") == "Cadre"
        assert gettext("Đơn vị") == "Unit"
        assert gettext("Quy hoạch") == "Succession planning"
        assert gettext("Luân chuyển") == "Rotation"
        assert gettext("Hội đồng nhân dân") == "People's Council"
        assert str(Role.ADMINISTRATOR.label) == "Administrator"
        assert str(Category.CIVIL_SERVANT.label) == "Civil servant"
        assert ngettext("%(n)s cán bộ", "%(n)s cán bộ", 1) % {"n": 1} == "1 cadre"
        assert ngettext("%(n)s cán bộ", "%(n)s cán bộ", 3) % {"n": 3} == "3 cadres"
    with translation.override("vi"):
        assert gettext("Cán bộ") == "Cán bộ"


def test_blocktranslate_variables_render_in_english():
    template = Template(
        '{% load i18n %}{% blocktranslate with day="01/07/2025" %}Số liệu tại ngày {{ day }}{% endblocktranslate %}'
    )
    with translation.override("en"):
        assert template.render(Context()) == "Figures as of 01/07/2025"
    with translation.override("vi"):
        assert template.render(Context()) == "Số liệu tại ngày 01/07/2025"


def login_page(client, **headers):
    response = client.get(reverse("login"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_login_page_defaults_to_vietnamese(client):
    html = login_page(client)
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "Username" not in html


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    # Many office machines run an English browser: Accept-Language alone must not switch.
    html = login_page(client, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html and "Username" not in html


def test_login_page_follows_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = login_page(client, HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="en">' in html
    assert "Username" in html and "Password" in html and "Log in" in html and "Cadre work" in html
    assert "Tên đăng nhập" not in html


def test_set_language_switches_to_english_and_back(client):
    login_url = reverse("login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302 and response["Location"] == login_url
    assert "Username" in login_page(client)

    client.post(reverse("set_language"), {"language": "vi", "next": login_url})
    assert "Tên đăng nhập" in login_page(client)


def test_tree_badge_pluralizes_in_english():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    counts = SimpleNamespace(records=5, holders=1, vacancies=0, seats=0)
    with translation.override("en"):
        html = render_to_string("org/_count_badges.html", {"counts": counts})
    assert "5 records kept" in html and "1 person holding a post" in html

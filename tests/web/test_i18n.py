"""Dutch is the interface language; the English catalogue must be complete and compiled."""

import gettext
import re
from pathlib import Path

import trede

LOCALE = Path(trede.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"


def _po_entries(text: str):
    """(msgid, [msgstr...], fuzzy) for every entry of a .po file, header excluded."""
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        fields: dict[str, str] = {}
        key = None
        for ln in lines:
            if ln.startswith("#"):
                continue
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?)\s+"(.*)"$', ln)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            elif ln.startswith('"') and key:
                fields[key] += ln[1:-1]
        if fields.get("msgid"):
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], fuzzy


def test_english_catalogue_is_complete():
    entries = list(_po_entries((LOCALE / "django.po").read_text(encoding="utf-8")))
    assert len(entries) > 300
    untranslated = [msgid for msgid, strs, _fuzzy in entries if not all(strs)]
    fuzzy = [msgid for msgid, _strs, is_fuzzy in entries if is_fuzzy]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    missing = []
    for msgid, strs, _fuzzy in _po_entries((LOCALE / "django.po").read_text(encoding="utf-8")):
        plain = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if len(strs) == 1 and catalog.gettext(plain) == plain and strs[0] != msgid:
            missing.append(msgid)
    assert not missing, f"django.mo is out of date (run make messages): {missing[:5]}"


def test_catalogue_holds_every_string_of_the_code(tmp_path, monkeypatch, settings):
    """makemessages on a copy of the code finds no string that the English catalogue lacks."""
    import os
    import shutil

    import pytest
    from django.core.management import call_command

    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (gettext) is missing: CI must check the translation catalogue")
        pytest.skip("xgettext (gettext) is not installed")
    source = Path(trede.__file__).resolve().parent
    copy = tmp_path / "trede"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    fresh = {m for m, _s, _f in _po_entries((copy / "locale/en/LC_MESSAGES/django.po").read_text("utf-8"))}
    shipped = {m for m, _s, _f in _po_entries((LOCALE / "django.po").read_text("utf-8"))}
    assert not fresh - shipped, f"strings without a translation (run make messages): {sorted(fresh - shipped)[:10]}"

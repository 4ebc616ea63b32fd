"""Translations: the .pot template, and complete es and zh_CN catalogues."""

import polib
import pytest

LANGS = ["es", "zh_CN"]


def _catalogue(addon_dir, name):
    path = addon_dir / "i18n" / name
    assert path.is_file(), f"{path.relative_to(addon_dir.parent)} is missing"
    try:
        return polib.pofile(str(path), check_for_duplicates=True)
    except (OSError, ValueError) as error:
        pytest.fail(f"{path} does not parse: {error}", pytrace=False)


def _key(entry):
    return entry.msgctxt, entry.msgid


def _msgids(catalogue):
    return {_key(entry): entry for entry in catalogue if not entry.obsolete}


@pytest.fixture(scope="module")
def pot(addon_dir):
    return _catalogue(addon_dir, "aftersales_revisit.pot")


def test_pot_has_messages(pot):
    assert _msgids(pot), "aftersales_revisit.pot has no message"


def _translated(entry):
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_translates_every_message(addon_dir, pot, lang):
    po = _msgids(_catalogue(addon_dir, f"{lang}.po"))
    template = _msgids(pot)
    missing = [entry.msgid for key, entry in template.items() if key not in po]
    untranslated = [
        entry.msgid
        for key, entry in po.items()
        if key in template and not _translated(entry)
    ]
    assert not missing, (
        f"{lang}.po lacks {len(missing)} msgid(s) of the .pot: {missing[:20]}"
    )
    assert not untranslated, (
        f"{lang}.po leaves {len(untranslated)} msgid(s) untranslated: "
        f"{untranslated[:20]}"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_has_no_fuzzy_entry(addon_dir, lang):
    """A fuzzy entry is a guess (msgmerge's after a source change) awaiting review."""
    po = _msgids(_catalogue(addon_dir, f"{lang}.po"))
    fuzzy = [entry.msgid for entry in po.values() if entry.fuzzy]
    assert not fuzzy, f"{lang}.po has {len(fuzzy)} fuzzy entries: {fuzzy[:20]}"

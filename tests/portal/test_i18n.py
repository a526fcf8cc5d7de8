"""The English catalogue: Vietnamese is the default, English only from the language menu.

Source strings are Vietnamese; locale/en/LC_MESSAGES/django.po translates them. The compiled
django.mo is committed (CI machines may lack gettext), so a test checks that it matches the .po.
School level names (SchoolLevel.name) are data, not msgids: no test expects them translated.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def choose_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plan_page_is_vietnamese_by_default_and_english_once_chosen(client, office_staff, plan):
    client.force_login(office_staff)
    url = reverse("plans:detail", args=[plan.pk])

    html = client.get(url).content.decode()
    assert '<html lang="vi">' in html
    assert "Chỉ tiêu theo cấp học" in html
    assert "Dự trù kinh phí (triệu đồng)" in html

    choose_english(client)
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert "Targets by school level" in html
    assert "Budget estimate (million VND)" in html
    assert "Baseline" in html and "By 2025" in html
    assert "Section 1: the document states 300 but its lines add up to 350." in html
    assert "Chỉ tiêu theo cấp học" not in html
    assert plan.title in html  # the plan's own text is data and stays as written


@pytest.mark.django_db
def test_english_browser_still_gets_vietnamese_until_the_user_chooses(client, office_staff, plan):
    """portal.middleware.VietnameseFirstMiddleware drops Accept-Language on purpose."""
    client.force_login(office_staff)
    url = reverse("plans:detail", args=[plan.pk])

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Chỉ tiêu theo cấp học" in html
    assert "Targets by school level" not in html

    choose_english(client)
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Targets by school level" in html


@pytest.mark.django_db
def test_admin_index_in_english_shows_english_app_labels(client, office_staff):
    client.force_login(office_staff)
    choose_english(client)
    response = client.get("/quan-tri/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plans" in html
    assert "Organisations and units" in html
    assert "Education Plan Tracking Portal" in html  # admin.site.site_header
    assert "Tổ chức, đơn vị" not in html


@pytest.mark.django_db
def test_admin_help_with_percent_signs_renders_them_once_in_english(client, superuser):
    """{% translate %} literals with % are stored as %% in the .po (python-format); the page must
    still show a single % sign."""
    client.force_login(superuser)
    choose_english(client)
    html = client.get(reverse("admin:plans_plan_add")).content.decode()
    assert "(79,3%; Trên 35%; 06 trường" in html
    assert "%%" not in html


# --- the catalogue -------------------------------------------------------------------------------


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def po_entries(text: str) -> list[dict[str, str]]:
    """The .po's entries as {keyword: text} ("msgid", "msgid_plural", "msgstr", "msgstr[0]" …)."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry: dict[str, str] = {}
        keyword = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                entry[keyword] += _unquote(line)
            else:
                keyword = line.split(" ", 1)[0]
                entry[keyword] = _unquote(line)
        entries.append(entry)
    return entries


def test_english_catalogue_has_no_fuzzy_or_untranslated_entry():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    # An empty msgstr not continued on the next line: only the header may have one (continued).
    assert not re.search(r'^msgstr(?:\[\d+\])? ""(?:\n|\Z)(?!")', text, re.MULTILINE)
    entries = [e for e in po_entries(text) if e.get("msgid")]
    assert len(entries) > 300
    for entry in entries:
        translations = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert translations and all(translations), entry["msgid"]


def test_english_catalogue_keeps_every_placeholder():
    for entry in po_entries(PO.read_text(encoding="utf-8")):
        if not entry.get("msgid"):
            continue
        expected = sorted(re.findall(r"%\(\w+\)[sd]", entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert sorted(re.findall(r"%\(\w+\)[sd]", value)) == expected, entry["msgid"]


def test_committed_mo_matches_the_po():
    """compilemessages was run after the last edit of the .po (the .mo is what Django reads)."""
    with MO.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    for entry in po_entries(PO.read_text(encoding="utf-8")):
        msgid = entry.get("msgid")
        if not msgid:
            continue
        if "msgctxt" in entry:  # GNU catalogs key a context entry as "context\x04msgid"
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            assert catalog.get((msgid, 0)) == entry["msgstr[0]"], msgid
            assert catalog.get((msgid, 1)) == entry["msgstr[1]"], msgid
        else:
            assert catalog.get(msgid) == entry["msgstr"], msgid

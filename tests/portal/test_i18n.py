"""The English catalogue: Vietnamese is the default, English only from the language menu.

Source strings are Vietnamese; locale/en/LC_MESSAGES/django.po translates them. The compiled
django.mo is committed (CI machines may lack gettext), so a test checks that it matches the .po.
School level names (SchoolLevel.name) are data, not msgids: no test expects them translated.

locale/vi/LC_MESSAGES/django.po is different: written by hand, it holds only Django's own msgids
(admin, auth, forms) that Django's Vietnamese catalogue leaves in English. LOCALE_PATHS comes
before Django's catalogues, so these entries fill the gaps.
"""

import gettext
import re
from pathlib import Path

import django
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
VI_PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
CATALOGUES = [pytest.param(PO, 300, id="en"), pytest.param(VI_PO, 20, id="vi")]
DJANGO_DIR = Path(django.__file__).resolve().parent
# Django's English source catalogues: every msgid of the parts of Django the portal uses.
DJANGO_SOURCE_POS = [
    DJANGO_DIR / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    *(
        DJANGO_DIR / "contrib" / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
        for app in ("admin", "auth", "contenttypes", "sessions")
    ),
]


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


@pytest.mark.django_db
def test_vietnamese_admin_form_error_is_in_vietnamese(client, superuser):
    """Django's Vietnamese catalogue lacks the plural "Please correct the error(s) below.";
    locale/vi fills it in."""
    client.force_login(superuser)
    response = client.post(reverse("admin:results_reportingperiod_add"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi"' in html
    assert "Vui lòng sửa lỗi bên dưới." in html
    assert "Please correct the error" not in html


@pytest.mark.django_db
def test_vietnamese_password_validator_messages(client, superuser):
    """The too-short message is a plural msgid Django's Vietnamese catalogue only has in an older
    wording; the others come from Django's own catalogue."""
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nguoi.moi",
            "usable_password": "true",
            "password1": "123456",
            "password2": "123456",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự." in html
    assert "Mật khẩu này quá phổ biến." in html
    assert "Mật khẩu này hoàn toàn là số." in html
    assert "This password is" not in html
    assert "Please correct the error" not in html


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


@pytest.mark.parametrize(("po", "at_least"), CATALOGUES)
def test_catalogue_has_no_fuzzy_or_untranslated_entry(po, at_least):
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    # An empty msgstr not continued on the next line: only the header may have one (continued).
    assert not re.search(r'^msgstr(?:\[\d+\])? ""(?:\n|\Z)(?!")', text, re.MULTILINE)
    entries = [e for e in po_entries(text) if e.get("msgid")]
    assert len(entries) > at_least
    for entry in entries:
        translations = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert translations and all(translations), entry["msgid"]


@pytest.mark.parametrize("po", [PO, VI_PO], ids=["en", "vi"])
def test_catalogue_keeps_every_placeholder(po):
    placeholder = r"%\(\w+\)[sdr]|%[sd]|\{\w*\}"
    for entry in po_entries(po.read_text(encoding="utf-8")):
        if not entry.get("msgid"):
            continue
        expected = sorted(re.findall(placeholder, entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert sorted(re.findall(placeholder, value)) == expected, entry["msgid"]


@pytest.mark.parametrize("po", [PO, VI_PO], ids=["en", "vi"])
def test_committed_mo_matches_the_po(po):
    """compilemessages was run after the last edit of the .po (the .mo is what Django reads)."""
    with po.with_suffix(".mo").open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    for entry in po_entries(po.read_text(encoding="utf-8")):
        msgid = entry.get("msgid")
        if not msgid:
            continue
        if "msgctxt" in entry:  # GNU catalogs key a context entry as "context\x04msgid"
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            forms = sorted(k for k in entry if k.startswith("msgstr["))
            for n, form in enumerate(forms):
                assert catalog.get((msgid, n)) == entry[form], msgid
        else:
            assert catalog.get(msgid) == entry["msgstr"], msgid


def test_vietnamese_catalogue_holds_only_django_msgids():
    """Not the portal's own (Vietnamese) msgids: makemessages -l vi must never be run. And each
    msgid is one Django still uses (after an upgrade a changed msgid silently stops matching)."""
    django_msgids = {
        (entry.get("msgctxt"), entry["msgid"])
        for po in DJANGO_SOURCE_POS
        for entry in po_entries(po.read_text(encoding="utf-8"))
        if entry.get("msgid")
    }
    portal_msgids = {entry.get("msgid") for entry in po_entries(PO.read_text(encoding="utf-8"))}
    text = VI_PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    for entry in po_entries(text):
        if not entry.get("msgid"):
            continue
        assert entry["msgid"] not in portal_msgids, entry["msgid"]
        assert (entry.get("msgctxt"), entry["msgid"]) in django_msgids, entry["msgid"]

"""Content-Security-Policy: the header on every page, and no page that needs 'unsafe-inline'.

The policy (portal/settings/base.py) allows scripts and styles from the portal's own files only, so
an inline <script>, an on…= handler, a style="…" attribute or a <style> block would be refused by
the browser: the page would lose its behaviour or its looks. Every page of the permission matrix
(tests/test_permission_matrix.py: the site's and the admin's, with its import, export and history
pages) is rendered for each role that may see it, and read with html.parser.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from organisations.models import OrgUnit
from tests.test_permission_matrix import ROLES, build_cases, post_data, url_for, world  # noqa: F401 - fixture

DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in (p.strip() for p in header.split(";")) if d}


class InlineFinder(HTMLParser):
    """What a strict policy would refuse: inline scripts (a JSON data block is not run, so it may
    stay), event-handler and style attributes, <style> blocks and javascript: links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> block at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            elif name == "style":
                self.found.append(f'<{tag} style="{value}"> at line {self.getpos()[0]}')
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_the_finder_sees_each_kind_of_inline_code():
    html = (
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/a.js"></script>'
        '<select onchange="go()"></select><p style="color:red"></p><style>p{}</style><a href="javascript:x()">'
    )
    assert len(inline_parts(html)) == 5


# Every page the matrix shows (200), for each role that sees it: the same page differs by role
# (a principal's form, an office's buttons, the superuser's admin).
PAGES = sorted(
    {(c.name, c.method, c.role) for c in build_cases() if c.expected == 200 and not c.elsewhere and c.role in ROLES},
)


@pytest.mark.django_db
def test_the_test_database_is_set_up_before_the_world():
    """As in the matrix: the world below needs the test database set up first."""
    assert OrgUnit.objects.count() >= 0


@pytest.fixture
def case_savepoint(world, django_db_blocker):  # noqa: F811 - the matrix's world fixture
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(("name", "method", "role"), PAGES, ids=["-".join(p) for p in PAGES])
def test_no_page_needs_unsafe_inline(client, world, case_savepoint, name, method, role):  # noqa: F811
    if role != "anonymous":
        client.force_login(world.users[role])
    url, query = url_for(name, world, elsewhere=False)
    data = post_data(name, world, elsewhere=False)
    response = client.get(url, query) if method == "GET" else client.post(url, data)
    if response.streaming:
        b"".join(response.streaming_content)
        return  # a download, not a page
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return
    assert policy(response) == DIRECTIVES, url
    assert inline_parts(response.content.decode()) == [], f"{method} {url} as {role}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/dang-nhap/", "/quan-tri/login/", "/khong-co-trang-nay/"])
def test_the_policy_is_sent_on_the_site_and_the_admin_and_the_error_pages(client, path):
    response = client.get(path)
    assert policy(response) == DIRECTIVES
    assert "unsafe" not in response["Content-Security-Policy"]


def test_csp_report_only_sends_the_same_policy_as_a_report():
    from tests.portal.test_settings import run_manage

    show = (
        "from django.test import Client; r = Client().get('/dang-nhap/'); "
        "print('enforced' if 'Content-Security-Policy' in r else '-', r.get('Content-Security-Policy-Report-Only'))"
    )
    env = {"DEBUG": "true", "ALLOWED_HOSTS": "testserver"}
    report_only = run_manage("shell", "-c", show, env_overrides={**env, "CSP_REPORT_ONLY": "true"})
    assert report_only.returncode == 0, report_only.stderr
    last = report_only.stdout.strip().splitlines()[-1]
    assert last.startswith("- ") and "script-src 'self'" in last and "frame-ancestors 'none'" in last
    enforced = run_manage("shell", "-c", show, env_overrides=env)
    assert enforced.stdout.strip().splitlines()[-1] == "enforced None"

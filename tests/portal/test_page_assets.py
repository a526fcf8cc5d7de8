"""Every file a page asks for is one the portal serves: its stylesheets, scripts and icon (a page
without an icon makes each browser ask for /favicon.ico, a 404 in every log on every visit)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.found.append((attrs.get("rel", ""), attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.found.append(("script", attrs["src"]))


def page_assets(html: str) -> list[tuple[str, str]]:
    parser = _Assets()
    parser.feed(html)
    return parser.found


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dang-nhap/", "/quan-tri/login/"])
def test_a_page_asks_only_for_files_the_portal_has_and_names_its_icon(client, url):
    assets = page_assets(client.get(url).content.decode())
    assert any(rel == "icon" for rel, _href in assets), assets
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    for _rel, href in assets:
        assert href.startswith(prefix), href  # the portal's own files, no CDN
        assert finders.find(href.removeprefix(prefix)), f"{href} is not among the static files"

"""A person who forgot the password, on a production portal without an SMTP server: the log-in
page's "Quên mật khẩu?" opens a page that says to ask the office, on a phone and on a desktop."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport,name", [(PHONE, "390"), (DESKTOP, "1366")])
def test_without_mail_forgotten_password_says_to_ask_the_office(live_server, page_factory, settings, viewport, name):
    settings.PASSWORD_RESET_BY_EMAIL = False
    page = page_factory(viewport=viewport)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.wait_for_url(f"{live_server.url}/quen-mat-khau/")
    assert page.get_by_text("chưa thể đặt lại mật khẩu qua thư điện tử").is_visible()
    assert page.get_by_text("Hãy liên hệ Phòng GD&ĐT").is_visible()
    assert page.locator("input[name=email]").count() == 0
    screenshot(page, f"password-reset-unavailable-{name}")
    page.get_by_role("link", name="Quay lại đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/dang-nhap/")

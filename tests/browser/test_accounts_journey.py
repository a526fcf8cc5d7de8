"""The office makes principal accounts for two schools from its list, prints the sheet, and a
principal uses the first-log-in link, sets a password and lands on the school's report."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_office_creates_two_accounts_and_a_principal_signs_in_with_the_link(
    live_server, page_factory, district_officer, school_a, school_b
):
    page = page_factory(viewport=DESKTOP)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(district_officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/tong-quan/viec-can-lam/")
    page.get_by_role("link", name="Tài khoản hiệu trưởng").first.click()
    page.wait_for_url(f"{live_server.url}/tai-khoan/")
    screenshot(page, "accounts-list-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "accounts-list-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_label("Chọn Trường Mầm non A").check()
    page.get_by_label("Chọn Trường Mầm non B").check()
    page.get_by_role("button", name="Tạo tài khoản cho các trường đã chọn").click()
    page.wait_for_url(f"{live_server.url}/tai-khoan/phieu/")
    slips = page.locator("section.sheet-slip")
    assert slips.count() == 2
    assert "hieutruong.t-a" in slips.nth(0).inner_text() and "hieutruong.t-b" in slips.nth(1).inner_text()
    screenshot(page, "accounts-sheet-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "accounts-sheet-phone")
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()  # the print stylesheet keeps only the slips
    screenshot(page, "accounts-sheet-print")
    link = slips.nth(0).locator("a").first.get_attribute("href")
    assert re.search(r"/tai-khoan/kich-hoat/\d+/[A-Z0-9-]+/$", link)

    principal = page_factory(viewport=PHONE)
    principal.goto(link)
    principal.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    principal.get_by_label("Số điện thoại").fill("0912 000 111")
    principal.get_by_label("Mật khẩu mới", exact=True).fill("Truong-hoc-2026!")
    principal.get_by_label("Nhập lại mật khẩu mới").fill("Truong-hoc-2026!")
    screenshot(principal, "accounts-first-login-phone")
    principal.get_by_role("button", name="Đặt mật khẩu và vào cổng").click()
    principal.wait_for_url(re.compile(r".*/bao-cao/.*"))
    assert "Đã đặt mật khẩu" in principal.content()
    screenshot(principal, "accounts-first-login-done-phone")
    # The link is spent.
    principal.goto(link)
    assert "không còn dùng được" in principal.content()

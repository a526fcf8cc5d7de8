"""The office's principal accounts (/tai-khoan/): the list, creating one and many, the sheet and
its export, the one-time first-log-in link, deactivating, and who may do any of it."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from html import unescape

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from organisations.models import AccountProfile, Membership, OrgUnit
from organisations.selectors import Contact, principal_contacts
from organisations.services import principal_account_create, principal_username_propose
from tests.conftest import PASSWORD

NEW_PASSWORD = "Truong-hoc-2026!"
LINK = re.compile(r"/tai-khoan/kich-hoat/(\d+)/([A-Z0-9-]+)/")


def links(html: str) -> list[str]:
    return sorted({m.group(0) for m in LINK.finditer(html)})


def first_login(client, link: str, **data):
    fields = {"full_name": "Nguyễn Thị Hoa", "phone": "0912 000 111", "email": "hoa@example.vn"}
    fields |= {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD} | data
    return client.post(link, fields)


@pytest.fixture
def other_school(other_district):
    commune = OrgUnit.objects.create(name="Xã Bên Cạnh", kind=OrgUnit.Kind.COMMUNE, parent=other_district)
    return OrgUnit.objects.create(name="Trường Mầm non C", kind=OrgUnit.Kind.SCHOOL, parent=commune, code="T-C")


# --- the list and its scope ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_the_offices_schools_with_their_principals(
    client, district_officer, principal_a, school_b, other_school
):
    AccountProfile.objects.create(user=principal_a, phone="0988 123 456")
    principal_a.email = "a@example.vn"
    principal_a.save()
    client.force_login(district_officer)
    html = unescape(client.get(reverse("accounts:list")).content.decode())
    assert "Trường Mầm non A" in html and "Trường Mầm non B" in html
    assert "hieutruong.a" in html and "0988 123 456" in html and "a@example.vn" in html
    assert "Chưa đăng nhập" in html and "Chưa có tài khoản" in html
    assert "Trường Mầm non C" not in html  # another district's school
    assert "Tạo tài khoản cho các trường đã chọn" in html


@pytest.mark.django_db
def test_a_commune_office_sees_only_its_schools(client, commune_officer, school_a, other_school, district):
    OrgUnit.objects.create(name="Trường THPT Huyện", kind=OrgUnit.Kind.SCHOOL, parent=district)
    client.force_login(commune_officer)
    html = client.get(reverse("accounts:list")).content.decode()
    assert "Trường Mầm non A" in html
    assert "Trường THPT Huyện" not in html and "Trường Mầm non C" not in html
    district_school = OrgUnit.objects.get(name="Trường THPT Huyện")
    assert client.get(reverse("accounts:create", args=[district_school.pk])).status_code == 404


@pytest.mark.django_db
def test_principals_and_leaders_have_no_account_pages(client, principal_a, district_leader, school_a):
    for person in (principal_a, district_leader):
        client.force_login(person)
        assert client.get(reverse("accounts:list")).status_code == 404
        assert client.post(reverse("accounts:list"), {"school": [school_a.pk]}).status_code == 404
        assert client.get(reverse("accounts:create", args=[school_a.pk])).status_code == 404
    assert not Membership.objects.filter(unit=school_a).exclude(user=principal_a).exists()


@pytest.mark.django_db
def test_another_district_cannot_touch_this_districts_schools_or_principals(
    client, other_district_officer, principal_a, school_a
):
    client.force_login(other_district_officer)
    assert client.get(reverse("accounts:create", args=[school_a.pk])).status_code == 404
    client.post(reverse("accounts:list"), {"school": [school_a.pk]})
    assert Membership.objects.filter(unit=school_a).count() == 1
    for name in ("accounts:deactivate", "accounts:new_link"):
        assert client.post(reverse(name, args=[principal_a.pk])).status_code == 404
    principal_a.refresh_from_db()
    assert principal_a.is_active


@pytest.mark.django_db
def test_an_account_with_an_office_role_is_not_the_offices_to_lock(client, district_officer, commune_officer, school_a):
    Membership.objects.create(user=commune_officer, unit=school_a, role=Membership.Role.PRINCIPAL)
    client.force_login(district_officer)
    assert client.post(reverse("accounts:deactivate", args=[commune_officer.pk])).status_code == 404


# --- creating accounts --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_username_is_proposed_from_the_school_and_kept_unique(school_a, district_officer):
    assert principal_username_propose(school_a) == "hieutruong.t-a"
    principal_account_create(school=school_a, by=district_officer)
    assert principal_username_propose(school_a) == "hieutruong.t-a-2"


@pytest.mark.django_db
def test_the_office_creates_one_account_and_gets_its_sheet(client, district_officer, school_a):
    client.force_login(district_officer)
    url = reverse("accounts:create", args=[school_a.pk])
    html = client.get(url).content.decode()
    assert 'value="hieutruong.t-a"' in html
    response = client.post(
        url,
        {
            "full_name": "Nguyễn Thị Hoa",
            "username": "hieutruong.t-a",
            "phone": "0912 000 111",
            "email": "hoa@example.vn",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sheet")
    user = get_user_model().objects.get(username="hieutruong.t-a")
    assert user.get_full_name() == "Nguyễn Thị Hoa" and user.email == "hoa@example.vn"
    assert not user.has_usable_password() and not user.is_staff
    assert user.memberships.get().unit == school_a and user.memberships.get().role == Membership.Role.PRINCIPAL
    assert principal_contacts([school_a.pk]) == {
        school_a.pk: [Contact(name="Nguyễn Thị Hoa", phone="0912 000 111", email="hoa@example.vn")]
    }
    sheet = unescape(client.get(reverse("accounts:sheet")).content.decode())
    assert "Trường Mầm non A" in sheet and "hieutruong.t-a" in sheet and "Nguyễn Thị Hoa" in sheet
    assert "http://testserver/dang-nhap/" in sheet and "Hướng dẫn" in sheet
    assert "css/account_sheet.css" in sheet  # its print layout (a file: the CSP refuses <style> blocks)
    assert len(links(sheet)) == 1
    # Only a hash of the code is stored.
    code = LINK.search(sheet).group(2)
    assert code not in AccountProfile.objects.get(user=user).first_login_code_hash


@pytest.mark.django_db
def test_a_bad_form_says_why_and_keeps_what_was_typed(client, district_officer, principal_a, school_b):
    client.force_login(district_officer)
    response = client.post(
        reverse("accounts:create", args=[school_b.pk]),
        {"full_name": "Trần Văn Bình", "username": "hieutruong.a", "email": "khong-phai-thu"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Tên đăng nhập “hieutruong.a” đã có người dùng." in html
    assert 'value="Trần Văn Bình"' in html
    assert not Membership.objects.filter(unit=school_b).exists()


@pytest.mark.django_db
def test_the_office_creates_accounts_for_many_schools_at_once(
    client, district_officer, principal_a, school_a, school_b, commune
):
    school_d = OrgUnit.objects.create(name="Trường Tiểu học D", kind=OrgUnit.Kind.SCHOOL, parent=commune)
    client.force_login(district_officer)
    response = client.post(reverse("accounts:list"), {"school": [school_a.pk, school_b.pk, school_d.pk]}, follow=True)
    html = unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == reverse("accounts:sheet")
    assert "Đã tạo 2 tài khoản" in html
    assert "Bỏ qua các trường đã có tài khoản hiệu trưởng đang hoạt động: Trường Mầm non A." in html
    assert "Trường Mầm non B" in html and "Trường Tiểu học D" in html
    assert len(links(html)) == 2
    assert Membership.objects.filter(unit=school_a).count() == 1
    assert get_user_model().objects.filter(username__in=["hieutruong.t-b", "hieutruong.truong-tieu-hoc-d"]).count() == 2


@pytest.mark.django_db
def test_creating_with_nothing_ticked_says_so(client, district_officer, school_a):
    client.force_login(district_officer)
    response = client.post(reverse("accounts:list"), {}, follow=True)
    assert "Chưa chọn trường nào" in response.content.decode()


# --- the one-time link ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_login_link_works_once_then_not(client, district_officer, school_a):
    issued = principal_account_create(school=school_a, by=district_officer)
    link = reverse("accounts:first_login", args=[issued.user.pk, issued.code])
    html = client.get(link).content.decode()
    assert "hieutruong.t-a" in html and "Đặt mật khẩu" in html
    response = first_login(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home"), follow=True).redirect_chain[-1][0].startswith("/bao-cao/")
    user = get_user_model().objects.get(pk=issued.user.pk)
    assert user.check_password(NEW_PASSWORD) and user.get_full_name() == "Nguyễn Thị Hoa"
    assert principal_contacts([school_a.pk])[school_a.pk][0].phone == "0912 000 111"
    client.logout()
    assert "không còn dùng được" in client.get(link).content.decode()
    first_login(client, link, new_password1="Mat-khau-khac-99", new_password2="Mat-khau-khac-99")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.login(username="hieutruong.t-a", password=NEW_PASSWORD)


@pytest.mark.django_db
def test_a_weak_or_mistyped_password_is_refused_and_the_link_stays_usable(client, district_officer, school_a):
    issued = principal_account_create(school=school_a, by=district_officer)
    link = reverse("accounts:first_login", args=[issued.user.pk, issued.code])
    html = unescape(first_login(client, link, new_password1="12345678", new_password2="12345678").content.decode())
    assert "Mật khẩu này hoàn toàn là số." in html and 'value="Nguyễn Thị Hoa"' in html
    html = unescape(first_login(client, link, new_password2="khac").content.decode())
    assert "Hai mật khẩu không giống nhau." in html
    assert first_login(client, link).status_code == 302


@pytest.mark.django_db
def test_a_new_link_replaces_the_old_one_and_an_expired_or_wrong_one_is_refused(client, district_officer, school_a):
    issued = principal_account_create(school=school_a, by=district_officer)
    old = reverse("accounts:first_login", args=[issued.user.pk, issued.code])
    client.force_login(district_officer)
    sheet = client.post(reverse("accounts:new_link", args=[issued.user.pk]), follow=True).content.decode()
    (new,) = links(sheet)
    assert new != old
    client.logout()
    assert "không còn dùng được" in client.get(old).content.decode()
    assert "không còn dùng được" in client.get(new.replace(new[-5:-1], "AAAA")).content.decode()
    AccountProfile.objects.filter(user=issued.user).update(first_login_expires_at=timezone.now() - timedelta(minutes=1))
    assert "không còn dùng được" in client.get(new).content.decode()


@pytest.mark.django_db
def test_deactivating_shuts_the_account_and_its_link_and_reactivating_opens_it(
    client, district_officer, principal_a, school_b
):
    issued = principal_account_create(school=school_b, by=district_officer)
    client.force_login(district_officer)
    for user in (principal_a, issued.user):
        assert client.post(reverse("accounts:deactivate", args=[user.pk])).status_code == 302
    client.logout()
    assert not client.login(username="hieutruong.a", password=PASSWORD)
    assert (
        "không còn dùng được"
        in client.get(reverse("accounts:first_login", args=[issued.user.pk, issued.code])).content.decode()
    )
    client.force_login(district_officer)
    html = client.get(reverse("accounts:list")).content.decode()
    assert "Đã khóa" in html and "Mở lại" in html
    client.post(reverse("accounts:reactivate", args=[principal_a.pk]))
    client.logout()
    assert client.login(username="hieutruong.a", password=PASSWORD)


# --- the sheet's export ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sheet_exports_as_xlsx_and_csv_with_inert_cells(client, district_officer, school_a):
    client.force_login(district_officer)
    client.post(
        reverse("accounts:create", args=[school_a.pk]),
        {"full_name": '=HYPERLINK("http://x")', "username": "hieutruong.t-a", "phone": "", "email": ""},
    )
    xlsx = client.get(reverse("accounts:sheet_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Trường", "Họ và tên", "Tên đăng nhập", "Liên kết đăng nhập lần đầu")
    assert rows[1][0] == "Trường Mầm non A" and rows[1][2] == "hieutruong.t-a"
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert LINK.search(rows[1][3]) and rows[1][6] == "http://testserver/dang-nhap/"
    text = client.get(reverse("accounts:sheet_export", args=["csv"])).content.decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["Tên đăng nhập"] == "hieutruong.t-a" and LINK.search(row["Liên kết đăng nhập lần đầu"])


@pytest.mark.django_db
def test_the_secret_is_gone_once_the_sheet_is_closed(client, district_officer, school_a):
    client.force_login(district_officer)
    client.post(reverse("accounts:list"), {"school": [school_a.pk]})
    assert links(client.get(reverse("accounts:sheet")).content.decode())
    client.post(reverse("accounts:sheet_close"))
    assert not links(client.get(reverse("accounts:sheet")).content.decode())
    assert client.get(reverse("accounts:sheet_export", args=["xlsx"])).status_code == 302
    # A new session (logging in again) never had it.
    client.force_login(district_officer)
    assert not links(client.get(reverse("accounts:sheet")).content.decode())

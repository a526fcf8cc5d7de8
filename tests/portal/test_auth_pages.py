"""Log-in, log-out, password change and reset, in Vietnamese (Django's auth views with the
portal's templates under templates/registration/)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from organisations.models import Membership
from tests.conftest import PASSWORD

NEW_PASSWORD = "Truong-hoc-2026!"


@pytest.fixture
def person(school_a):
    """A principal (an account with no role is refused at log-in, see below)."""
    user = get_user_model().objects.create_user(
        "nguyenvana", email="vana@example.vn", password=PASSWORD, first_name="Nguyễn Văn", last_name="A"
    )
    Membership.objects.create(user=user, unit=school_a, role=Membership.Role.PRINCIPAL)
    return user


def logs_in(client, username: str, password: str) -> bool:
    client.logout()
    return client.login(username=username, password=password)


# --- log-in and log-out ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_is_in_vietnamese(client):
    html = client.get(reverse("login")).content.decode()
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert reverse("password_reset") in html and "Quên mật khẩu?" in html


@pytest.mark.django_db
def test_a_wrong_password_is_told_in_vietnamese(client, person):
    response = client.post(reverse("login"), {"username": "nguyenvana", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logging_in_opens_each_persons_starting_page(client, person):
    response = client.post(reverse("login"), {"username": "nguyenvana", "password": PASSWORD}, follow=True)
    # "home" sends principals to their report, office staff to their work page, leaders to their
    # unit's dashboard.
    assert response.redirect_chain == [(reverse("home"), 302), (reverse("reports:home"), 302)]
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_principal_lands_on_their_report(client, principal_a, plan):
    response = client.post(reverse("login"), {"username": principal_a.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[:2] == [(reverse("home"), 302), (reverse("reports:home"), 302)]


@pytest.mark.django_db
def test_the_header_offers_each_role_its_pages(client, principal_a, district_officer, district_leader):
    client.force_login(principal_a)
    html = client.get(reverse("plans:list")).content.decode()
    assert "Báo cáo của trường" in html and "Kỳ báo cáo" not in html
    for reviewer in (district_officer, district_leader):
        client.force_login(reviewer)
        html = client.get(reverse("plans:list")).content.decode()
        assert "Kỳ báo cáo" in html and "Báo cáo của trường" not in html


@pytest.mark.django_db
def test_logging_out_says_so(client, person):
    client.force_login(person)
    assert client.get(reverse("logout")).status_code == 405  # a link cannot log anyone out
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("logged_out")
    assert "Bạn đã đăng xuất" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- password change ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_password_change_page_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "old,new1,new2,message",
    [
        ("sai-mat-khau", NEW_PASSWORD, NEW_PASSWORD, "Mật khẩu cũ không chính xác"),
        (PASSWORD, NEW_PASSWORD, "Khac-hoan-toan-2026", "Hai trường mật khẩu không giống nhau."),
        (PASSWORD, "12345678", "12345678", "Mật khẩu này hoàn toàn là số."),
    ],
)
def test_a_refused_password_change_says_why_and_keeps_the_old_password(client, person, old, new1, new2, message):
    client.force_login(person)
    response = client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert logs_in(client, "nguyenvana", PASSWORD)


@pytest.mark.django_db
def test_a_password_change_goes_through(client, person):
    client.force_login(person)
    html = client.get(reverse("password_change")).content.decode()
    assert "Đổi mật khẩu" in html and "Mật khẩu cũ" in html and "Xác nhận mật khẩu mới" in html
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Đã đổi mật khẩu" in response.content.decode()
    assert logs_in(client, "nguyenvana", NEW_PASSWORD)
    assert not logs_in(client, "nguyenvana", PASSWORD)


@pytest.mark.django_db
def test_the_admins_own_password_change_works(client, district_officer):
    client.force_login(district_officer)
    page = reverse("admin:password_change")
    assert client.get(page).status_code == 200
    response = client.post(
        page, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    assert logs_in(client, "canbo", NEW_PASSWORD)


# --- password reset by e-mail ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_through_a_vietnamese_email(client, person):
    html = client.get(reverse("password_reset")).content.decode()
    assert "Quên mật khẩu" in html and "thư điện tử" in html
    response = client.post(reverse("password_reset"), {"email": "vana@example.vn"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "Hãy kiểm tra hộp thư" in response.content.decode()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["vana@example.vn"]
    assert email.subject == "Đặt lại mật khẩu trên Cổng theo dõi kế hoạch giáo dục"
    assert "Xin chào Nguyễn Văn A," in email.body
    assert "Tên đăng nhập của bạn: nguyenvana" in email.body
    link = re.search(r"http://testserver(/dat-lai-mat-khau/\S+/)", email.body).group(1)

    form_page = client.get(link, follow=True)  # Django swaps the token for a session key, then shows the form
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "Đã đặt mật khẩu mới" in response.content.decode()
    assert logs_in(client, "nguyenvana", NEW_PASSWORD)

    # The link works once.
    client.logout()
    assert "Liên kết không còn dùng được" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(client, person):
    response = client.post(reverse("password_reset"), {"email": "ai-do@example.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_made_up_reset_link_is_refused_in_vietnamese(client):
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "khong-hop-le"})
    html = client.get(url).content.decode()
    assert "Liên kết không còn dùng được" in html
    assert reverse("password_reset") in html


@pytest.mark.django_db
def test_the_admin_login_offers_the_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("admin:login")).content.decode()


@pytest.mark.django_db
def test_too_many_wrong_passwords_lock_the_account_from_that_address(client, person, settings):
    """django-axes, switched on here (the test settings turn it off for client.login())."""
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "nguyenvana", "password": "sai-mat-khau"})
    response = client.post(reverse("login"), {"username": "nguyenvana", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    other = get_user_model().objects.create_user("tranthib", password=PASSWORD)
    Membership.objects.create(user=other, unit=person.memberships.get().unit, role=Membership.Role.PRINCIPAL)
    response = client.post(reverse("login"), {"username": "tranthib", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_right_password_before_the_limit_clears_the_failures(client, person, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "nguyenvana", "password": "sai-mat-khau"})
    assert client.post(reverse("login"), {"username": "nguyenvana", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "nguyenvana", "password": "sai-mat-khau"})
    assert client.post(reverse("login"), {"username": "nguyenvana", "password": PASSWORD}).status_code == 302


# --- a refused log-in says why ------------------------------------------------------------------------

NO_ROLE = "Tài khoản chưa được giao vai trò tại đơn vị nào. Liên hệ Phòng GD&ĐT"
DEACTIVATED = "Tài khoản này đã bị khóa"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"


@pytest.fixture
def no_role(db):
    return get_user_model().objects.create_user("chuaco.vaitro", password=PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", ["login", "admin:login"])
def test_a_right_password_without_any_role_is_told_to_ask_for_one(client, no_role, login_url):
    response = client.post(reverse(login_url), {"username": "chuaco.vaitro", "password": PASSWORD})
    html = unescape(response.content.decode())
    assert response.status_code == 200 and NO_ROLE in html and WRONG not in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", ["login", "admin:login"])
def test_a_right_password_on_a_deactivated_account_says_so(client, person, login_url):
    person.is_active = False
    person.save()
    html = client.post(reverse(login_url), {"username": "nguyenvana", "password": PASSWORD}).content.decode()
    assert DEACTIVATED in html and WRONG not in html
    # The wrong password on the same account says nothing about it.
    html = client.post(reverse(login_url), {"username": "nguyenvana", "password": "sai-mat-khau"}).content.decode()
    assert WRONG in html and DEACTIVATED not in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", ["login", "admin:login"])
def test_a_wrong_password_stays_the_generic_message(client, no_role, login_url):
    html = client.post(reverse(login_url), {"username": "chuaco.vaitro", "password": "sai"}).content.decode()
    assert WRONG in html and NO_ROLE not in html


@pytest.mark.django_db
def test_a_principal_on_the_admin_login_is_sent_to_the_portal_and_a_superuser_needs_no_role(client, person, superuser):
    html = client.post(reverse("admin:login"), {"username": "nguyenvana", "password": PASSWORD}).content.decode()
    assert "không dùng trang quản trị" in html and "_auth_user_id" not in client.session
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_office_staff_made_by_a_role_alone_log_in_to_the_admin(client, district):
    user = get_user_model().objects.create_user("canbo.moi", password=PASSWORD)
    Membership.objects.create(user=user, unit=district, role=Membership.Role.OFFICE_STAFF)
    response = client.post(reverse("admin:login"), {"username": "canbo.moi", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_axes_still_counts_wrong_passwords_of_accounts_refused_for_another_reason(client, no_role, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "chuaco.vaitro", "password": "sai-mat-khau"})
    response = client.post(reverse("login"), {"username": "chuaco.vaitro", "password": PASSWORD})
    assert response.status_code == 429  # locked out before the form says anything about the account
    assert NO_ROLE not in response.content.decode()

"""A role at a unit is the only step: staff status and the office group follow from the roles
(organisations.services.account_sync_from_roles, called by organisations.signals)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from organisations.models import Membership
from organisations.services import OFFICE_STAFF_GROUP
from tests.conftest import PASSWORD

OFFICE, PRINCIPAL, LEADER = Membership.Role.OFFICE_STAFF, Membership.Role.PRINCIPAL, Membership.Role.LEADER


def state(user) -> tuple[bool, bool]:
    user = get_user_model().objects.get(pk=user.pk)
    return user.is_staff, user.groups.filter(name=OFFICE_STAFF_GROUP).exists()


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("nguoimoi", password=PASSWORD)


@pytest.mark.django_db
def test_an_office_role_gives_staff_status_and_the_group_and_its_removal_takes_them(person, district):
    membership = Membership.objects.create(user=person, unit=district, role=OFFICE)
    assert state(person) == (True, True)
    membership.delete()
    assert state(person) == (False, False)


@pytest.mark.django_db
def test_changing_the_role_to_principal_or_leader_takes_the_admin_away(person, district, school_a):
    membership = Membership.objects.create(user=person, unit=district, role=OFFICE)
    membership.role = LEADER
    membership.save()
    assert state(person) == (False, False)
    Membership.objects.create(user=person, unit=school_a, role=PRINCIPAL)
    assert state(person) == (False, False)


@pytest.mark.django_db
def test_office_staff_somewhere_else_keep_the_admin_until_their_last_office_role_goes(
    person, district, commune, school_a
):
    Membership.objects.create(user=person, unit=school_a, role=PRINCIPAL)
    at_district = Membership.objects.create(user=person, unit=district, role=OFFICE)
    at_commune = Membership.objects.create(user=person, unit=commune, role=OFFICE)
    assert state(person) == (True, True)
    at_district.delete()
    assert state(person) == (True, True)
    Membership.objects.filter(pk=at_commune.pk).delete()  # the queryset path sends post_delete too
    assert state(person) == (False, False)


@pytest.mark.django_db
def test_superusers_are_never_touched(superuser, district):
    membership = Membership.objects.create(user=superuser, unit=district, role=LEADER)
    assert state(superuser) == (True, False)
    membership.delete()
    assert state(superuser) == (True, False)


@pytest.mark.django_db
def test_deleting_an_account_with_roles_works(person, district):
    Membership.objects.create(user=person, unit=district, role=OFFICE)
    person.delete()
    assert not get_user_model().objects.filter(username="nguoimoi").exists()
    assert Group.objects.filter(name=OFFICE_STAFF_GROUP).exists()


@pytest.mark.django_db
def test_the_user_admin_inline_role_is_the_only_step(client, superuser, district):
    """The superuser adds an office role in the user admin, leaving "staff status" and groups alone;
    the account can then use the admin. Removing the role there takes it away again."""
    person = get_user_model().objects.create_user("canbo.moi", password=PASSWORD)
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[person.pk])
    data = {
        "username": "canbo.moi",
        "first_name": "Cán bộ",
        "last_name": "Mới",
        "email": "",
        "is_active": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-unit": str(district.pk),
        "memberships-0-role": OFFICE,
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "0",
        "profile-0-phone": "0912 345 678",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert state(person) == (True, True)
    assert person.profile.phone == "0912 345 678"
    membership = person.memberships.get()
    data |= {
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": str(membership.pk),
        "memberships-0-user": str(person.pk),
        "memberships-0-DELETE": "on",
        "profile-INITIAL_FORMS": "1",
        "profile-0-id": str(person.profile.pk),
        "profile-0-user": str(person.pk),
        "is_staff": "on",  # ticked by hand: the roles decide
    }
    assert client.post(url, data).status_code == 302
    assert state(person) == (False, False)

"""The one-off migration that brings accounts made before "roles decide staff status" in line."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from organisations.models import Membership
from organisations.services import OFFICE_STAFF_GROUP
from tests.conftest import make_user

migration = importlib.import_module("organisations.migrations.0005_accounts_follow_roles")


@pytest.mark.django_db
def test_old_accounts_get_the_staff_status_their_roles_give(district, school_a, superuser):
    group, _ = Group.objects.get_or_create(name=OFFICE_STAFF_GROUP)
    officer = make_user("cu.canbo", unit=district, role=Membership.Role.OFFICE_STAFF)
    principal = make_user("cu.hieutruong", unit=school_a, role=Membership.Role.PRINCIPAL)
    type(officer).objects.filter(pk=officer.pk).update(is_staff=False)  # as made before the rule
    type(principal).objects.filter(pk=principal.pk).update(is_staff=True)
    officer.groups.clear()
    migration.forwards(apps, None)
    officer.refresh_from_db()
    principal.refresh_from_db()
    superuser.refresh_from_db()
    assert officer.is_staff and officer.groups.filter(pk=group.pk).exists()
    assert not principal.is_staff and not principal.groups.exists()
    assert superuser.is_staff and superuser.is_superuser

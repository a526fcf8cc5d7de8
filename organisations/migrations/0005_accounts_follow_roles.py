"""Accounts made before roles decided staff status: bring them in line once, as
organisations.services.account_sync_from_roles does on every later role change (office staff at
some unit → staff status and the office group; roles but none of office staff → neither;
superusers and accounts without any role are left as they are)."""

from django.conf import settings
from django.db import migrations

OFFICE_STAFF = "office_staff"
OFFICE_STAFF_GROUP = "Cán bộ Phòng GD&ĐT"  # organisations.services.OFFICE_STAFF_GROUP


def forwards(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    Membership = apps.get_model("organisations", "Membership")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=OFFICE_STAFF_GROUP).first()
    with_roles = set(Membership.objects.values_list("user_id", flat=True))
    office = set(Membership.objects.filter(role=OFFICE_STAFF).values_list("user_id", flat=True))
    for user in User.objects.filter(pk__in=with_roles, is_superuser=False):
        is_office = user.pk in office
        if user.is_staff != is_office:
            user.is_staff = is_office
            user.save(update_fields=["is_staff"])
        if group is not None:
            if is_office:
                user.groups.add(group)
            else:
                user.groups.remove(group)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_account_profile"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

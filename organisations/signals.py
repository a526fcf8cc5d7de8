"""Staff status and the office group follow an account's roles (services.account_sync_from_roles).

Signals on Membership are the one place because every way a role is written ends in
Membership.save() or .delete(): the user admin's inline, django-import-export's row saves, the
services, the shell, a cascade. Nothing in the project writes memberships with bulk_create() or
QuerySet.update(), which send no signal; QuerySet.delete() does send post_delete per row.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership
from .services import account_sync_from_roles


@receiver(post_save, sender=Membership, dispatch_uid="membership_saved_sync_account")
def membership_saved(sender, instance: Membership, raw=False, **kwargs):
    if raw:
        return  # loaddata: the fixture's users carry their own flags
    account_sync_from_roles(instance.user)


@receiver(post_delete, sender=Membership, dispatch_uid="membership_deleted_sync_account")
def membership_deleted(sender, instance: Membership, origin=None, **kwargs):
    if isinstance(origin, get_user_model()):
        return  # the account itself is being deleted
    account_sync_from_roles(instance.user)

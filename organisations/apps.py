from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Tổ chức, đơn vị")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the account sync to Membership

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Kết quả thực hiện")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_save, pre_save

        from organisations.models import OrgUnit

        from . import signals

        pre_save.connect(signals.remember_tree_position, sender=OrgUnit, dispatch_uid="rollups-tree-before")
        post_save.connect(signals.school_saved, sender=OrgUnit, dispatch_uid="rollups-tree-after")
        m2m_changed.connect(signals.school_levels_changed, sender=OrgUnit.levels.through, dispatch_uid="rollups-levels")

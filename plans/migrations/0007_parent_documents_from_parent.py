"""Data: each plan's existing `parent` becomes a linked parent document of kind "plan of the level
above", so that nothing entered before documents existed is lost (plans.services.plan_parent_sync
derives `parent` from these documents from now on)."""

from django.db import migrations


def parent_to_document(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    ParentDocument = apps.get_model("plans", "ParentDocument")
    for plan in Plan.objects.filter(parent__isnull=False).select_related("parent__issuer"):
        if ParentDocument.objects.filter(plan=plan, linked_plan=plan.parent).exists():
            continue
        parent = plan.parent
        ParentDocument.objects.create(
            plan=plan,
            kind="parent_plan",
            number=parent.number,
            issued_on=parent.issued_on,
            issue_date_wording=parent.issue_date_wording,
            issuer_wording=parent.issuer.name,
            title=parent.title,
            linked_plan=parent,
            order=0,
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_parent_documents")]

    # Reversed: the documents go with 0006's tables; `parent` itself was never cleared.
    operations = [migrations.RunPython(parent_to_document, migrations.RunPython.noop)]

"""Give every stored value (and its history) its fact keys (unit, indicator, year) from its
submission and target."""

from django.db import migrations


def fill(apps, schema_editor):
    Submission = apps.get_model("results", "Submission")
    Target = apps.get_model("plans", "Target")
    submissions = {s.pk: (s.school_id, s.period.year) for s in Submission.objects.select_related("period")}
    indicators = dict(Target.objects.values_list("pk", "indicator_id"))
    for model in (apps.get_model("results", "ResultValue"), apps.get_model("results", "HistoricalResultValue")):
        for row in model.objects.all().only("pk", "submission_id", "target_id").iterator():
            school_id, year = submissions.get(row.submission_id, (None, 0))
            model.objects.filter(pk=row.pk).update(
                unit_id=school_id, indicator_id=indicators.get(row.target_id), year=year
            )


class Migration(migrations.Migration):
    dependencies = [("results", "0004_facts_and_rollups"), ("plans", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

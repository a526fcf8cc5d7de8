from django.db import migrations

LEVELS = [
    ("PRESCHOOL", "Mầm non", "MN", 1),
    ("PRIMARY", "Tiểu học", "TH", 2),
    ("LOWER_SECONDARY", "Trung học cơ sở", "THCS", 3),
    ("UPPER_SECONDARY", "Trung học phổ thông", "THPT", 4),
    ("VOCATIONAL_CONTINUING", "Giáo dục nghề nghiệp - Giáo dục thường xuyên", "GDNN-GDTX", 5),
]


def create_levels(apps, schema_editor):
    SchoolLevel = apps.get_model("organisations", "SchoolLevel")
    for code, name, short_name, order in LEVELS:
        SchoolLevel.objects.update_or_create(code=code, defaults={"name": name, "short_name": short_name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(create_levels, migrations.RunPython.noop)]

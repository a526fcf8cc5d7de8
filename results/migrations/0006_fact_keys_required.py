import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("results", "0005_fill_fact_keys")]

    operations = [
        migrations.AlterField(
            model_name="resultvalue",
            name="indicator",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="facts",
                to="indicators.indicator",
                verbose_name="chỉ số",
            ),
        ),
        migrations.AlterField(
            model_name="resultvalue",
            name="unit",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="facts",
                to="organisations.orgunit",
                verbose_name="đơn vị báo cáo",
            ),
        ),
        migrations.AlterField(
            model_name="resultvalue",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="năm"),
        ),
        migrations.AlterField(
            model_name="historicalresultvalue",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="năm"),
        ),
    ]

"""manage.py benchmark_dashboards on a tiny data set: it builds, measures and prints its table.

Runs on SQLite (the data goes in through the ORM) and on PostgreSQL (through COPY). The second
test measures stand-in dashboards defined here, so that what it checks does not depend on the
real pages, which are written elsewhere.
"""

import io
import sys
import types

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.http import HttpResponse
from django.urls import include, path

from indicators.models import Indicator
from indicators.rollup import Figures, rollup_value
from indicators.wording import format_decimal_vi
from organisations.models import OrgUnit
from portal.benchmark import UNIT_PREFIX
from results.models import IndicatorRollup, ResultValue, Submission

TINY = ["--schools", "60", "--communes", "6", "--provinces", "2", "--indicators", "6"]
TINY += ["--years", "2", "--requests", "2"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("benchmark_dashboards", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_builds_a_tiny_country_and_prints_the_table():
    printed = run(*TINY)

    kinds = OrgUnit.objects.values_list("kind", flat=True)
    assert [list(kinds).count(k) for k in ("province", "commune", "school")] == [2, 6, 60]
    assert not OrgUnit.objects.exclude(code__startswith=UNIT_PREFIX).exists()
    assert not OrgUnit.objects.filter(kind="commune", children=None).exists()  # every commune has a school
    assert OrgUnit.objects.filter(kind="school", parent__kind="commune").count() == 60
    assert Submission.objects.count() == 120
    assert set(Submission.objects.values_list("status", flat=True)) == {Submission.Status.APPROVED}
    facts = ResultValue.objects.all()
    assert 120 <= facts.count() <= 120 * 8
    assert not facts.filter(numerator__gt=F("denominator")).exists()
    aggregations = set(Indicator.objects.values_list("aggregation", flat=True))
    assert {"ratio_of_sums", "share_of_schools", "sum", "weighted_mean"} <= aggregations
    assert Indicator.objects.filter(level=None).exists()
    assert IndicatorRollup.objects.exists()

    for expected in ("Machine", "CPU", "Build", "rollup_rebuild()", "| page", "| school", "| national", "freshness"):
        assert expected in printed


# --- stand-in dashboards: one line per roll-up row, the figure as the portal writes it ---------


def _unit_page(request, unit_pk):
    year = int(request.GET["nam"])
    rows = IndicatorRollup.objects.filter(unit_id=unit_pk, year=year, level_code="").select_related("indicator")
    lines = []
    for row in rows:
        value = rollup_value(row.indicator.aggregation, Figures.of(row))
        lines.append(f"{row.indicator.name}: {format_decimal_vi(value.quantize(1)) if value is not None else '—'}")
    return HttpResponse("\n".join(lines) or "trường")


def _national_page(request):
    return HttpResponse(str(IndicatorRollup.objects.filter(unit__kind="province").count()))


urlpatterns = [
    path(
        "tong-quan/",
        include(
            (
                [path("<int:unit_pk>/", _unit_page, name="unit"), path("toan-quoc/", _national_page, name="national")],
                "dashboards",
            )
        ),
    )
]


@pytest.mark.django_db
def test_it_measures_every_page_and_sees_an_approval_at_once(settings):
    settings.ROOT_URLCONF = sys.modules[__name__]
    printed = run(*TINY)

    table = {line.split("|")[1].strip(): line for line in printed.splitlines() if line.startswith("| ")}
    for page in ("school", "commune", "province", "national"):
        assert "chưa có trang" not in table[page]
        assert " ✓" in table[page].split("|")[2]  # a constant, small number of queries
    assert "commune page queries:" in printed
    freshness = next(line for line in printed.splitlines() if line.startswith("freshness"))
    assert "commune 0." in freshness and "(page shows it)" in freshness
    assert "never" not in freshness

    # Before the dashboards exist: the same run says so for each page and still measures freshness.
    settings.ROOT_URLCONF = types.ModuleType("no_dashboards")
    settings.ROOT_URLCONF.urlpatterns = []
    again = run(*TINY, "--reuse")
    assert "Dùng lại" in again and "reused (--reuse)" in again
    assert OrgUnit.objects.filter(kind="school").count() == 60
    assert again.count("chưa có trang") >= 8  # progress and table, four pages
    assert "visible after approve returned: commune 0." in again


@pytest.mark.django_db
def test_it_refuses_a_database_with_data_of_its_own():
    OrgUnit.objects.create(name="Tỉnh Thật", kind=OrgUnit.Kind.PROVINCE, code="01")
    with pytest.raises(CommandError, match="không phải của thử tải"):
        run(*TINY)
    assert list(OrgUnit.objects.values_list("name", flat=True)) == ["Tỉnh Thật"]

"""manage.py benchmark_imports at a tiny size: it imports, exports, prints its figures, leaves
nothing behind, and refuses a database that holds other data."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organisations.models import OrgUnit

TINY = ["--schools", "12", "--units", "40", "--provinces", "2", "--communes", "6"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("benchmark_imports", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_measures_import_and_export_and_rolls_everything_back():
    printed = run(*TINY)
    for step in ("nhập: xem trước", "nhập: xác nhận", "xuất: CSV", "xuất: XLSX"):
        line = next(line for line in printed.splitlines() if step in line)
        assert " s " in line and "truy vấn" in line and "MiB" in line
    assert "12 dòng" in printed and "52 dòng" in printed  # 40 units + the 12 imported, exported
    assert not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_database_with_real_data():
    OrgUnit.objects.create(name="Tỉnh Thật", kind=OrgUnit.Kind.PROVINCE)
    with pytest.raises(CommandError, match="không phải của thử tải"):
        run(*TINY)
    assert OrgUnit.objects.count() == 1

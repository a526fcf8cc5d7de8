from datetime import date

import pytest
from django.core.exceptions import ValidationError

from organisations.models import OrgUnit, SchoolLevel
from organisations.selectors import schools_by_level, unit_ancestors, unit_subtree
from organisations.services import org_unit_merge


def school(name, parent, *levels):
    unit = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.SCHOOL, parent=parent)
    unit.levels.set(SchoolLevel.objects.filter(code__in=levels))
    return unit


@pytest.mark.django_db
def test_subtree_holds_the_unit_and_everything_under_it(province, district, commune, school_a):
    other = OrgUnit.objects.create(name="Huyện khác", kind=OrgUnit.Kind.DISTRICT, parent=province)
    assert set(unit_subtree(district)) == {district, commune, school_a}
    assert set(unit_subtree(province)) == {province, district, commune, school_a, other}
    assert set(unit_subtree(district, include_self=False)) == {commune, school_a}


@pytest.mark.django_db
def test_ancestors_run_from_the_root_down(province, district, commune, school_a):
    assert unit_ancestors(school_a) == [province, district, commune]


@pytest.mark.django_db
def test_a_commune_may_sit_straight_under_a_province_after_the_2025_reform(province):
    commune = OrgUnit(name="Xã Hà Bắc", kind=OrgUnit.Kind.COMMUNE, parent=province, valid_from=date(2025, 7, 1))
    commune.full_clean()
    commune.save()
    assert commune.path == f"{province.path}{commune.pk}/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind,parent_kind",
    [(OrgUnit.Kind.DISTRICT, OrgUnit.Kind.COMMUNE), (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.DISTRICT)],
)
def test_a_unit_cannot_sit_under_a_lower_kind(province, district, commune, kind, parent_kind):
    parent = {OrgUnit.Kind.COMMUNE: commune, OrgUnit.Kind.DISTRICT: district}[parent_kind]
    with pytest.raises(ValidationError) as error:
        OrgUnit(name="Sai", kind=kind, parent=parent).full_clean()
    assert "trực thuộc" in str(error.value)


@pytest.mark.django_db
def test_a_unit_cannot_be_moved_under_its_own_child(district, commune):
    district.parent = commune
    with pytest.raises(ValidationError):
        district.full_clean()


@pytest.mark.django_db
def test_moving_a_unit_moves_its_subtree(province, district, commune, school_a):
    other = OrgUnit.objects.create(name="Huyện mới", kind=OrgUnit.Kind.DISTRICT, parent=province)
    commune.parent = other
    commune.save()
    school_a.refresh_from_db()
    assert school_a.path == f"{other.path}{commune.pk}/{school_a.pk}/"
    assert set(unit_subtree(district)) == {district}


@pytest.mark.django_db
def test_merged_schools_stay_with_their_dates_and_successor(commune):
    old_a, old_b = school("TH A", commune, "PRIMARY"), school("TH B", commune, "PRIMARY")
    merged = school("TH A-B", commune, "PRIMARY")
    org_unit_merge(units=[old_a, old_b], into=merged, on=date(2025, 8, 1))
    old_a.refresh_from_db()
    assert old_a.closed_on == date(2025, 8, 1) and old_a.successor == merged
    assert set(merged.predecessors.all()) == {old_a, old_b}
    assert old_a.is_open_on(date(2025, 7, 31)) and not old_a.is_open_on(date(2025, 8, 1))
    assert set(OrgUnit.objects.schools().open_on(date(2025, 9, 1))) == {merged}
    assert old_a in unit_subtree(commune)  # earlier results still belong somewhere


@pytest.mark.django_db
def test_a_successor_needs_a_closing_date(commune):
    a, b = school("A", commune, "PRIMARY"), school("B", commune, "PRIMARY")
    a.successor = b
    with pytest.raises(ValidationError) as error:
        a.full_clean()
    assert "ngày sáp nhập" in str(error.value)


@pytest.mark.django_db
def test_an_inter_level_school_counts_once_per_level(commune):
    school("TH&THCS Liên cấp", commune, "PRIMARY", "LOWER_SECONDARY")
    school("TH Một", commune, "PRIMARY")
    assert schools_by_level(commune) == {"PRIMARY": 2, "LOWER_SECONDARY": 1}


@pytest.mark.django_db
def test_official_codes_are_unique_but_may_be_blank(commune):
    school("A", commune)
    school("B", commune)  # two blank codes are fine
    OrgUnit.objects.create(name="C", kind=OrgUnit.Kind.SCHOOL, parent=commune, code="X1")
    with pytest.raises(ValidationError):
        OrgUnit(name="D", kind=OrgUnit.Kind.SCHOOL, parent=commune, code="X1").full_clean()


@pytest.mark.django_db
def test_only_schools_have_an_ownership(district):
    with pytest.raises(ValidationError):
        OrgUnit(name="Xã", kind=OrgUnit.Kind.COMMUNE, parent=district, ownership="private").full_clean()

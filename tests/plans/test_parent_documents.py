"""Parent documents ("Căn cứ"): registering what a plan implements, linking it later to the real
plan, Plan.parent derived from the link (plans.cascade reads it), proposals by number, the seeds'
documents, the migration of existing parents, and the `paragraphs` filter."""

from __future__ import annotations

import datetime
import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from indicators.services import indicator_get_or_create
from organisations.models import OrgUnit
from plans.cascade import plan_cascade_flags
from plans.models import ParentDocument, Plan, Target
from plans.selectors import (
    document_number_key,
    parent_document_link_matches,
    parent_document_plan_candidates,
    plan_children_visible,
    plan_parent_documents,
)
from plans.services import parent_document_delete, parent_document_link, parent_document_save, target_set_values
from plans.templatetags.plan_extras import paragraphs

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def make_plan(issuer: OrgUnit, number: str, **fields) -> Plan:
    return Plan.objects.create(
        number=number,
        title=f"Kế hoạch phát triển giáo dục {issuer.name}",
        issuer=issuer,
        period_start_year=2021,
        period_end_year=2025,
        orientation_year=2030,
        **fields,
    )


def register(plan: Plan, number: str, **fields) -> ParentDocument:
    fields.setdefault("issuer_wording", "Ủy ban nhân dân tỉnh Thử Nghiệm")
    fields.setdefault("title", "về phát triển giáo dục giai đoạn 2021-2025")
    return parent_document_save(document=ParentDocument(plan=plan, number=number, **fields))


@pytest.fixture
def province_plan(province):
    return make_plan(province, "43/KH-UBND", issued_on=datetime.date(2022, 2, 23))


@pytest.fixture
def town_plan(district):
    return make_plan(district, "141/KH-UBND")


# --- registering and linking ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_document_not_in_the_portal_is_registered_without_any_stub_plan(town_plan):
    register(town_plan, "43/KH-UBND", issued_on=datetime.date(2022, 2, 23), issue_date_wording="ngày 23/02/2022")
    register(town_plan, "96-KH/HU", kind=ParentDocument.Kind.PARTY_PROGRAMME, issuer_wording="Ban Thường vụ Huyện ủy")
    town_plan.refresh_from_db()
    assert [d.number for d in town_plan.parent_documents.all()] == ["43/KH-UBND", "96-KH/HU"]
    assert town_plan.parent is None
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_a_document_needs_a_number_or_a_title(town_plan):
    with pytest.raises(ValidationError) as error:
        register(town_plan, "", title="")
    assert error.value.message_dict["number"] == ["Ghi số hiệu hoặc trích yếu của văn bản căn cứ."]


@pytest.mark.django_db
def test_linking_the_plan_of_the_level_above_makes_it_the_parent_and_the_cascade_compares_them(
    town_plan, province_plan
):
    indicator = indicator_get_or_create(name="Tỷ lệ trẻ đến trường", level="PRESCHOOL", unit="percent")
    for plan, goal in [(province_plan, "95%"), (town_plan, "90%")]:
        target = Target.objects.create(plan=plan, indicator=indicator, order=1, wording=indicator.name)
        target_set_values(target=target, baseline=None, milestones={2025: goal})
    document = register(town_plan, "43/KH-UBND")
    assert plan_cascade_flags(plan=town_plan) == []

    parent_document_link(document=document, linked_plan=province_plan)
    town_plan.refresh_from_db()
    assert town_plan.parent == province_plan
    [flag] = plan_cascade_flags(plan=town_plan)
    assert (flag.child_target.plan, flag.parent_target.plan, flag.year) == (town_plan, province_plan, 2025)

    parent_document_link(document=document, linked_plan=None)
    town_plan.refresh_from_db()
    assert town_plan.parent is None


@pytest.mark.django_db
def test_only_a_plan_of_the_level_above_is_the_parent_and_the_first_one_wins(town_plan, province_plan, province):
    other = make_plan(province, "50/KH-UBND")
    register(town_plan, "50/KH-UBND", kind=ParentDocument.Kind.RESOLUTION, linked_plan=other)
    town_plan.refresh_from_db()
    assert town_plan.parent is None  # a resolution linked to a plan is a basis, not the parent
    register(town_plan, "43/KH-UBND", linked_plan=province_plan, order=2)
    second = register(town_plan, "50/KH-UBND", linked_plan=other, order=1)
    town_plan.refresh_from_db()
    assert town_plan.parent == other
    parent_document_delete(document=second)
    town_plan.refresh_from_db()
    assert town_plan.parent == province_plan


@pytest.mark.django_db
def test_a_plan_cannot_be_its_own_basis_nor_the_parent_of_its_parent(town_plan, province_plan):
    with pytest.raises(ValidationError) as error:
        register(town_plan, "141/KH-UBND", linked_plan=town_plan)
    assert "chính nó" in error.value.message_dict["linked_plan"][0]
    register(town_plan, "43/KH-UBND", linked_plan=province_plan)
    with pytest.raises(ValidationError) as error:
        register(province_plan, "141/KH-UBND", linked_plan=town_plan)
    assert "không thể là cấp trên của nhau" in error.value.message_dict["linked_plan"][0]
    province_plan.refresh_from_db()
    assert province_plan.parent is None and not province_plan.parent_documents.exists()


# --- what the page reads ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_linked_plan_is_shown_as_a_link_only_to_viewers_who_may_read_it(
    town_plan, other_district, district_officer, other_district_officer
):
    elsewhere = make_plan(other_district, "7/KH-UBND")
    register(town_plan, "7/KH-UBND", kind=ParentDocument.Kind.OTHER, linked_plan=elsewhere)
    [row] = plan_parent_documents(plan=town_plan, user=district_officer)
    assert row.document.linked_plan == elsewhere and row.readable_plan is None
    assert list(plan_children_visible(plan=elsewhere, user=district_officer)) == [town_plan]
    assert list(plan_children_visible(plan=elsewhere, user=other_district_officer)) == []


@pytest.mark.parametrize(
    "written,key",
    [
        ("Số: 141 /KH-UBND", "141/KH-UBND"),
        ("141/kh-ubnd", "141/KH-UBND"),
        ("Kế hoạch số: 1733/KH-SGDĐT", "1733/KH-SGDĐT"),
    ],
)
def test_document_numbers_are_compared_without_prefix_spaces_or_case(written, key):
    assert document_number_key(written) == key


@pytest.mark.django_db
def test_matches_are_proposed_by_number_and_date_within_the_plans_tree(
    town_plan, province_plan, province, district_officer
):
    cited = register(town_plan, "Số 43 /KH-UBND", issued_on=datetime.date(2022, 2, 23))
    # Another town citing a 43/KH-UBND of another date, and a plan of another province citing the same number.
    other_town = make_plan(OrgUnit.objects.create(name="Thị xã Khác", kind="district", parent=province), "9/KH-UBND")
    register(other_town, "43/KH-UBND", issued_on=datetime.date(2023, 1, 5))
    other_province = OrgUnit.objects.create(name="Tỉnh Khác", kind=OrgUnit.Kind.PROVINCE)
    register(make_plan(other_province, "2/KH-UBND"), "43/KH-UBND")
    assert parent_document_link_matches(plan=province_plan) == [cited]
    assert parent_document_link_matches(plan=province_plan, user=district_officer) == [cited]
    assert list(parent_document_plan_candidates(document=cited, user=district_officer)) == [province_plan]
    parent_document_link(document=cited, linked_plan=province_plan)
    assert parent_document_link_matches(plan=province_plan) == []  # linked: nothing left to propose


# --- existing data and the seeds ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_turns_each_existing_parent_into_a_linked_document(town_plan, province_plan):
    Plan.objects.filter(pk=town_plan.pk).update(parent=province_plan)  # as stored before documents existed
    migration = importlib.import_module("plans.migrations.0007_parent_documents_from_parent")
    migration.parent_to_document(apps, None)
    migration.parent_to_document(apps, None)  # run twice: still one document
    [document] = town_plan.parent_documents.all()
    assert (document.kind, document.linked_plan, document.number) == ("parent_plan", province_plan, "43/KH-UBND")
    assert (document.issued_on, document.issuer_wording) == (datetime.date(2022, 2, 23), province_plan.issuer.name)


@pytest.mark.django_db
def test_the_seeds_load_the_documents_their_basis_paragraphs_name(db):
    call_command("load_seed_data", stdout=io.StringIO())
    expected = {
        "chi-lang-district-2022.txt": [("parent_plan", "43/KH-UBND"), ("party_programme", "96-KH/HU")],
        "duc-pho-town-2025.txt": [("parent_plan", "31/KH-UBND")],
        "ha-bac-commune-2026.txt": [("parent_plan", "1733/KH-SGDĐT")],
        "vinh-bao-district-2024.txt": [("resolution", "05-NQ/HU"), ("conclusion", "129-KL/HU"), ("other", "623-BC/HU")],
    }
    for source, documents in expected.items():
        text = " ".join((SEEDS / source).read_text(encoding="utf-8").split())
        plan = next(p for p in Plan.objects.all() if Path(p.source_document.name).name.startswith(source[:-4]))
        rows = list(plan.parent_documents.all())
        assert [(d.kind, d.number) for d in rows] == documents, source
        for d in rows:
            for wording in (d.number, d.issue_date_wording, d.issuer_wording, d.title):
                assert " ".join(wording.split()) in text, (source, wording)  # words whole, as written
        assert plan.parent is None  # the plans they name are not in the portal


# --- paragraphs ----------------------------------------------------------------------------------


def test_paragraphs_keep_lines_and_lists_and_escape_everything():
    html = paragraphs("Căn cứ A;\nCăn cứ B <script>alert(1)</script>\n\n- một\n+ a\n+ b\n- hai\n• ba\nKết.")
    assert html == (
        "<p>Căn cứ A;</p><p>Căn cứ B &lt;script&gt;alert(1)&lt;/script&gt;</p>"
        '<ul class="bullets" data-marker="-"><li>một<ul class="bullets" data-marker="+"><li>a</li><li>b</li></ul>'
        '</li><li>hai</li></ul><ul class="bullets" data-marker="•"><li>ba</li></ul><p>Kết.</p>'
    )
    assert paragraphs("") == "" and paragraphs(None) == ""
    assert paragraphs("+ x\n+ y") == '<ul class="bullets" data-marker="+"><li>x</li><li>y</li></ul>'
    heading = paragraphs("* Giai đoạn 2024-2025:\n-5% là mức giảm")
    assert heading == "<p>* Giai đoạn 2024-2025:</p><p>-5% là mức giảm</p>"  # neither is a list item

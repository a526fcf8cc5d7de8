"""The plan's page: "Căn cứ" with its paragraphs, the documents the plan implements, the plans that
implement it, the proposals to link, the link action, the source document's download through the
plan's scope, and the admin's "Căn cứ" table."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.services import task_create
from plans.models import ParentDocument, Plan
from plans.services import parent_document_save
from tests.admin.admin_helpers import form_data

BASIS = (
    "Thực hiện Kế hoạch số 43/KH-UBND, ngày 23/02/2022 của Ủy ban nhân dân tỉnh Thử Nghiệm;\n"
    "\n"
    "Thực hiện Kế hoạch số 96-KH/HU, ngày 09/3/2022 của Ban Thường vụ Huyện ủy <script>alert('x')</script>;\n"
    "- ý thứ nhất\n"
    "+ ý nhỏ\n"
    "- ý thứ hai"
)


@pytest.fixture
def province_plan(province):
    return Plan.objects.create(
        number="43/KH-UBND",
        title="Kế hoạch của tỉnh về giáo dục",
        issuer=province,
        issued_on=datetime.date(2022, 2, 23),
        period_start_year=2021,
        period_end_year=2025,
    )


@pytest.fixture
def cited(plan):
    plan.legal_basis = BASIS
    plan.save()
    return parent_document_save(
        document=ParentDocument(
            plan=plan,
            number="43/KH-UBND",
            issued_on=datetime.date(2022, 2, 23),
            issue_date_wording="ngày 23/02/2022",
            issuer_wording="Ủy ban nhân dân tỉnh Thử Nghiệm",
            title="về việc thực hiện Nghị quyết số 63-NQ/TU",
        )
    )


def page(client, user, plan) -> str:
    client.force_login(user)
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_plan_page_shows_the_basis_with_its_paragraphs_and_the_documents(client, district_leader, plan, cited):
    html = page(client, district_leader, plan)
    assert "<p>Thực hiện Kế hoạch số 43/KH-UBND, ngày 23/02/2022 của Ủy ban nhân dân tỉnh Thử Nghiệm;</p>" in html
    assert "Ban Thường vụ Huyện ủy &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;;</p>" in html
    assert "<script>alert" not in html
    dash, plus = '<ul class="bullets" data-marker="-">', '<ul class="bullets" data-marker="+">'
    assert f"{dash}<li>ý thứ nhất{plus}<li>ý nhỏ</li>" in html
    for text in ("Kế hoạch cấp trên", "số 43/KH-UBND", "ngày 23/02/2022", "Ủy ban nhân dân tỉnh Thử Nghiệm"):
        assert text in html
    assert "về việc thực hiện Nghị quyết số 63-NQ/TU" in html


@pytest.mark.django_db
def test_every_multi_line_content_keeps_its_lines_and_is_escaped(client, office_staff, plan):
    plan.specific_objectives = "* Giai đoạn 2024-2025:\n- Một <b>đậm</b>\n- Hai"
    plan.general_objectives = "Dòng một\nDòng hai"
    plan.reporting_duty = "Báo cáo 6 tháng;\nBáo cáo năm <script>x</script>"
    plan.save()
    plan.budget_lines.filter(number="1.1").update(content="Xây phòng học:\n- 10 phòng\n- 2 nhà vệ sinh")
    plan.targets.filter(order=1).update(note="Ghi chú một\nGhi chú hai")
    task_create(plan=plan, content="Rà soát:\n+ trường lớp\n+ đội ngũ", timing_wording="Hàng năm")
    html = page(client, office_staff, plan)
    dash, plus = '<ul class="bullets" data-marker="-">', '<ul class="bullets" data-marker="+">'
    assert f"<p>* Giai đoạn 2024-2025:</p>{dash}<li>Một &lt;b&gt;đậm&lt;/b&gt;</li>" in html
    assert "<p>Dòng một</p><p>Dòng hai</p>" in html
    assert "<p>Báo cáo năm &lt;script&gt;x&lt;/script&gt;</p>" in html
    assert f"<p>Xây phòng học:</p>{dash}<li>10 phòng</li><li>2 nhà vệ sinh</li></ul>" in html
    assert "<p>Ghi chú một</p><p>Ghi chú hai</p>" in html
    assert f"<p>Rà soát:</p>{plus}<li>trường lớp</li><li>đội ngũ</li></ul>" in html


@pytest.mark.django_db
def test_the_new_plan_page_proposes_the_documents_that_cite_it_and_its_office_links_them(
    client, district_officer, district_leader, plan, cited, province_plan
):
    html = page(client, district_officer, province_plan)
    assert "Kế hoạch này được 1 kế hoạch khác dẫn làm căn cứ nhưng chưa liên kết" in html
    assert reverse("plans:parent_document_link", args=[cited.pk]) in html
    # A leader reads the proposal but has no button: linking is the citing plan's office's.
    assert reverse("plans:parent_document_link", args=[cited.pk]) not in page(client, district_leader, province_plan)

    client.force_login(district_officer)
    response = client.post(reverse("plans:parent_document_link", args=[cited.pk]), {"plan": province_plan.pk})
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[province_plan.pk])
    plan.refresh_from_db()
    assert plan.parent == province_plan
    html = page(client, district_officer, province_plan)
    assert "dẫn làm căn cứ nhưng chưa liên kết" not in html
    assert "Các kế hoạch thực hiện kế hoạch này" in html and reverse("plans:detail", args=[plan.pk]) in html
    assert reverse("plans:detail", args=[province_plan.pk]) in page(client, district_officer, plan)


@pytest.mark.django_db
def test_the_link_is_refused_to_readers_other_districts_and_plans_the_office_cannot_read(
    client, district_leader, other_district_officer, district_officer, cited, province_plan, other_district
):
    url = reverse("plans:parent_document_link", args=[cited.pk])
    client.force_login(district_leader)
    assert client.post(url, {"plan": province_plan.pk}).status_code == 403
    client.force_login(other_district_officer)
    assert client.post(url, {"plan": province_plan.pk}).status_code == 404
    hidden = Plan.objects.create(
        number="43/KH-UBND",
        title="Kế hoạch huyện bên cạnh",
        issuer=other_district,
        period_start_year=2021,
        period_end_year=2025,
    )
    client.force_login(district_officer)
    for value in (hidden.pk, "abc", "", "²", "99999999999999999999"):
        response = client.post(url, {"plan": value}, follow=True)
        assert "Không tìm thấy kế hoạch cần liên kết" in response.content.decode()
    cited.refresh_from_db()
    assert cited.linked_plan is None


# --- the source document ----------------------------------------------------------------------


@pytest.fixture
def with_document(plan):
    plan.source_document = SimpleUploadedFile("ke-hoach-12.pdf", b"%PDF-1.4 van ban goc")
    plan.save()
    return plan


@pytest.mark.django_db
def test_a_reader_downloads_the_source_document_as_an_attachment(client, principal_a, with_document):
    client.force_login(principal_a)
    response = client.get(reverse("plans:source_document", args=[with_document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 van ban goc"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "ke-hoach-12" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_source_document_is_404_elsewhere_and_for_plans_without_one(
    client, other_district_officer, office_staff, with_document, province_plan
):
    client.force_login(other_district_officer)
    assert client.get(reverse("plans:source_document", args=[with_document.pk])).status_code == 404
    client.force_login(office_staff)
    assert client.get(reverse("plans:source_document", args=[province_plan.pk])).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_for_the_source_document(client, with_document):
    response = client.get(reverse("plans:source_document", args=[with_document.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_plan_page_and_the_admin_link_to_the_checked_download_never_to_media(
    client, office_staff, commune_officer, with_document
):
    download = reverse("plans:source_document", args=[with_document.pk])
    assert with_document.source_document.url == download
    assert download in page(client, office_staff, with_document)
    for user in (office_staff, commune_officer):  # the editable form and the read-only page
        client.force_login(user)
        html = client.get(reverse("admin:plans_plan_change", args=[with_document.pk])).content.decode()
        assert f'href="{download}"' in html
        assert settings.MEDIA_URL + "plans/" not in html


# --- the admin's "Căn cứ" table ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_office_registers_and_links_documents_from_the_admin_plan_page(client, office_staff, plan, province_plan):
    client.force_login(office_staff)
    change = reverse("admin:plans_plan_change", args=[plan.pk])
    data = form_data(client.get(change))
    data.update(
        {
            "parent_documents-0-kind": "parent_plan",
            "parent_documents-0-number": "43/KH-UBND",
            "parent_documents-0-issued_on": "23/02/2022",
            "parent_documents-0-issue_date_wording": "ngày 23/02/2022",
            "parent_documents-0-issuer_wording": "Ủy ban nhân dân tỉnh Thử Nghiệm",
            "parent_documents-0-title": "về việc thực hiện Nghị quyết số 63-NQ/TU",
            "parent_documents-0-order": "1",
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    [document] = plan.parent_documents.all()
    assert (document.number, document.issued_on) == ("43/KH-UBND", datetime.date(2022, 2, 23))
    assert document.linked_plan is None
    plan.refresh_from_db()
    assert plan.parent is None

    html = client.get(change).content.decode()
    assert reverse("plans:detail", args=[province_plan.pk]) in html  # "Có thể là": the plan of that number
    data = form_data(client.get(change))
    data["parent_documents-0-linked_plan"] = str(province_plan.pk)
    assert client.post(change, data).status_code == 302
    plan.refresh_from_db()
    assert plan.parent == province_plan


@pytest.mark.django_db
def test_the_admin_table_refuses_a_document_with_neither_number_nor_title(client, office_staff, plan):
    client.force_login(office_staff)
    change = reverse("admin:plans_plan_change", args=[plan.pk])
    data = form_data(client.get(change))
    data.update({"parent_documents-0-kind": "directive", "parent_documents-0-issuer_wording": "Bộ GD&ĐT"})
    response = client.post(change, data)
    assert response.status_code == 200
    assert "Ghi số hiệu hoặc trích yếu của văn bản căn cứ." in response.content.decode()
    assert not plan.parent_documents.exists()

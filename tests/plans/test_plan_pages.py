import pytest
from django.urls import reverse

from assignments.services import task_create
from plans.models import BudgetLine, Target, TargetValue
from plans.services import target_set_values


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, plan):
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_plan_list_shows_plans_with_their_counts(client, office_staff, plan):
    client.force_login(office_staff)
    response = client.get(reverse("plans:list"))
    assert response.status_code == 200
    assert plan.title in response.content.decode()
    assert "1 giá trị cần xem lại" in response.content.decode()  # the "???" milestone


@pytest.mark.django_db
def test_plan_page_shows_targets_by_level_with_values_in_vietnamese_format(client, office_staff, plan):
    client.force_login(office_staff)
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mầm non" in html
    assert "79,3\xa0%" in html and "86\xa0%" in html
    assert "6 trường" in html
    assert "???" in html  # unparsed wording shown as written, never dropped


@pytest.mark.django_db
def test_plan_page_reports_the_budget_discrepancy(client, office_staff, plan):
    client.force_login(office_staff)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    # Section 1 states 300, its lines add up to 350.
    assert "Mục 1: văn bản ghi 300 nhưng các dòng cộng lại 350." in html


@pytest.mark.django_db
def test_plan_page_in_english_uses_english_number_format(client, office_staff, plan):
    BudgetLine.objects.filter(plan=plan, number="1.1").update(amount=344050)
    client.force_login(office_staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "344,050" in html


@pytest.mark.django_db
def test_unknown_plan_is_404(client, office_staff):
    client.force_login(office_staff)
    assert client.get(reverse("plans:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_flagged_values_are_listed_with_their_reason(client, office_staff, plan):
    client.force_login(office_staff)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    flagged = TargetValue.objects.get(wording="???")
    assert flagged.flag == "unparsed"
    assert flagged.flag_reason in html


@pytest.mark.django_db
def test_health_endpoint_reaches_the_database(client):
    assert client.get(reverse("health")).json() == {"status": "ok"}


@pytest.mark.django_db
def test_plan_page_warns_about_a_milestone_below_its_baseline(client, office_staff, plan):
    client.force_login(office_staff)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Chỉ tiêu 2025 kém hơn hiện trạng (Hiện trạng 2024)." in html  # 79,3% → 78%


@pytest.mark.django_db
@pytest.mark.parametrize("extra_rows", [0, 25])
def test_plan_page_queries_do_not_grow_with_the_plan(
    client, office_staff, plan, extra_rows, django_assert_max_num_queries
):
    indicator = plan.targets.first().indicator
    for n in range(extra_rows):
        target = Target.objects.create(plan=plan, indicator=indicator, order=10 + n, wording=f"Chỉ tiêu {n}")
        target_set_values(target=target, baseline=(2024, "50%"), milestones={2025: "60%", 2030: "Trên 70%"})
        task_create(plan=plan, content=f"Nhiệm vụ {n}", timing_wording="Hàng năm", leads=["Phòng GD&ĐT"])
    client.force_login(office_staff)
    # 15: three of them for "Căn cứ" (its documents, the plans citing it, the documents it may be).
    with django_assert_max_num_queries(15):
        assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("plans:list")).status_code == 200

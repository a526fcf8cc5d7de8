"""A new office sets itself up and enters its own plan, in Chromium, as its people would:

1. a superuser creates the ward (a unit the portal does not have) and gives a person the office role
   there, on one page;
2. that person logs in, adds the ward's two schools, creates their principals' accounts from the
   school list and gets the sheet with the first-log-in links;
3. enters the ward's plan from its document (tests/browser/documents/tan-son-ward-2026.txt, written
   in the seeds' style with wordings the seeds lack) on the admin plan page, with the province plan
   and the Party programme it implements, neither of them in the portal;
4. opens the reporting period proposed from the plan's reporting duty ("trước ngày 20/6 hằng năm");
5. a principal opens the first-log-in link, sets a password and submits the school's report.

Every fill, choice and click of a person counts as a step; the test prints the steps of the set-up
(1–4) for the issue's note."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from indicators.models import Indicator
from organisations.models import Membership, OrgUnit, SchoolLevel
from organisations.services import school_levels_ensure
from plans.models import Plan, TargetValue
from results.models import ReportingPeriod, Submission
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DOCUMENT_PATH = Path(__file__).parent / "documents" / "tan-son-ward-2026.txt"
DOCUMENT = DOCUMENT_PATH.read_text(encoding="utf-8")
PASSWORD = "Phuong-Tan-Son-2026!"


def _table_rows() -> list[list[str]]:
    """The document's target table, cell by cell, exactly as written."""
    rows = []
    for line in DOCUMENT.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit():
            rows.append(cells)
    return rows


def _lines_starting(start: str) -> list[str]:
    return [line for line in DOCUMENT.splitlines() if line.startswith(start)]


def _lines_after(heading: str, count: int) -> str:
    lines = DOCUMENT.splitlines()
    start = lines.index(heading) + 1
    return "\n".join(lines[start : start + count])


TITLE = "Thực hiện Chương trình phát triển giáo dục và đào tạo phường Tân Sơn giai đoạn 2026-2030"
GENERAL_OBJECTIVES = _lines_after("1. Mục tiêu chung", 3)
REPORTING_DUTY = _lines_after("II. CHẾ ĐỘ BÁO CÁO", 1)
PARENT_DOCUMENTS = [
    (
        "Kế hoạch cấp trên",
        "210/KH-UBND",
        "05/12/2025",
        "Ủy ban nhân dân tỉnh",
        "phát triển giáo dục và đào tạo giai đoạn 2026-2030",
    ),
    (
        "Chương trình, kế hoạch của cấp ủy Đảng",
        "12-CTr/ĐU",
        "20/11/2025",
        "Đảng ủy phường Tân Sơn",
        "nâng cao chất lượng giáo dục",
    ),
]
INDICATOR_FOR_ROW = {
    "1": "Tỷ lệ huy động trẻ mẫu giáo ra lớp",
    "2": "Tỷ lệ trẻ suy dinh dưỡng thể thấp còi",
    "3": "Điểm trung bình thi tuyển sinh lớp 10",
    "4": "Xếp hạng chất lượng giáo dục của phường",
}


class Person:
    """A person at the browser: each fill, choice or click is one step."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url, self.steps = page, base_url, 0

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")

    def fill(self, locator, text: str) -> None:
        locator.fill(text)
        self.steps += 1

    def click(self, locator) -> None:
        locator.click()
        self.steps += 1

    def check(self, locator) -> None:
        locator.check()
        self.steps += 1

    def select(self, locator, label: str) -> None:
        locator.select_option(label=label)
        self.steps += 1

    def choose(self, select_id: str, text: str) -> None:
        """An admin autocomplete (select2): open it, type, pick the option. One step for a person."""
        # One request at a time, as a person types: the first (empty) search has answered before
        # the name is typed (SQLite's shared in-memory test database locks on overlapping reads).
        with self.page.expect_response(lambda response: "/autocomplete/" in response.url):
            self.page.locator(f"#{select_id} + .select2 .select2-selection").click()
        with self.page.expect_response(lambda response: "/autocomplete/" in response.url):
            self.page.locator(".select2-container--open .select2-search__field").fill(text)
        self.page.locator(".select2-results__option", has_text=text).first.click()
        self.steps += 1

    def log_in(self, username: str, password: str, *, admin: bool = False) -> None:
        self.go("/quan-tri/login/" if admin else "/dang-nhap/")
        self.fill(self.page.locator("#id_username"), username)
        self.fill(self.page.locator("#id_password"), password)
        self.click(self.page.locator("form [type=submit]").last)
        self.page.wait_for_load_state()


def _world():
    province = OrgUnit.objects.create(name="Tỉnh Minh Họa", kind=OrgUnit.Kind.PROVINCE)
    school_levels_ensure()
    get_user_model().objects.create_superuser("quantri", password=PASSWORD)
    levels = {level.code: level for level in SchoolLevel.objects.all()}
    for name, unit, level, direction, aggregation in [
        (INDICATOR_FOR_ROW["1"], "percent", "PRESCHOOL", "higher", "ratio_of_sums"),
        (INDICATOR_FOR_ROW["2"], "percent", "PRESCHOOL", "lower", "ratio_of_sums"),
        (INDICATOR_FOR_ROW["3"], "score", "LOWER_SECONDARY", "higher", "weighted_mean"),
    ]:
        Indicator.objects.create(
            name=name, unit=unit, level=levels[level], direction=direction, aggregation=aggregation
        )
    return province


def test_a_new_office_sets_itself_up_and_a_principal_reports(live_server, page_factory):
    province = _world()

    # 1. The superuser: the ward, then a person with the office role there (one page).
    admin = Person(page_factory(viewport=DESKTOP), live_server.url)
    admin.log_in("quantri", PASSWORD, admin=True)
    admin.go("/quan-tri/organisations/orgunit/add/")
    admin.fill(admin.page.locator("#id_name"), "Phường Tân Sơn")
    admin.select(admin.page.locator("#id_kind"), "Xã/Phường/Thị trấn")
    admin.choose("id_parent", "Tỉnh Minh Họa")
    admin.click(admin.page.locator("input[name=_save]").first)
    ward = OrgUnit.objects.get(name="Phường Tân Sơn")
    assert ward.parent == province

    admin.go("/quan-tri/auth/user/add/")
    admin.fill(admin.page.locator("#id_username"), "vanphong.tanson")
    admin.fill(admin.page.locator("#id_password1"), PASSWORD)
    admin.fill(admin.page.locator("#id_password2"), PASSWORD)
    admin.choose("id_memberships-0-unit", "Phường Tân Sơn")
    admin.select(admin.page.locator("#id_memberships-0-role"), "Cán bộ quản lý giáo dục")
    screenshot(admin.page, "new-office-01-person-with-role")
    admin.click(admin.page.locator("input[name=_save]").first)
    officer = get_user_model().objects.get(username="vanphong.tanson")
    assert officer.is_staff and officer.groups.filter(name="Cán bộ Phòng GD&ĐT").exists()
    assert Membership.objects.filter(user=officer, unit=ward, role=Membership.Role.OFFICE_STAFF).exists()
    superuser_steps = admin.steps

    # 2. The office: its two schools, their principals' accounts, the sheet.
    office = Person(page_factory(viewport=DESKTOP), live_server.url)
    office.log_in("vanphong.tanson", PASSWORD)
    office.page.wait_for_url(f"{live_server.url}/tong-quan/viec-can-lam/")
    assert "Phường Tân Sơn" in office.page.locator("header").inner_text()
    for name, level in [("Trường Mầm non Tân Sơn", "Mầm non"), ("Trường THCS Tân Sơn", "Trung học cơ sở")]:
        office.go("/quan-tri/organisations/orgunit/add/")
        office.fill(office.page.locator("#id_name"), name)
        office.select(office.page.locator("#id_kind"), "Trường/Trung tâm")
        office.choose("id_parent", "Phường Tân Sơn")
        office.check(office.page.locator("#id_levels").get_by_label(level, exact=True))
        office.click(office.page.locator("input[name=_save]").first)
        assert OrgUnit.objects.filter(name=name, parent=ward).exists(), office.page.content()[:2000]

    office.go("/tai-khoan/")
    office.check(office.page.get_by_label("Chọn Trường Mầm non Tân Sơn"))
    office.check(office.page.get_by_label("Chọn Trường THCS Tân Sơn"))
    office.click(office.page.get_by_role("button", name="Tạo tài khoản cho các trường đã chọn"))
    office.page.wait_for_url(f"{live_server.url}/tai-khoan/phieu/")
    slips = office.page.locator("section.sheet-slip")
    assert slips.count() == 2
    screenshot(office.page, "new-office-02-sheet")
    preschool_link = slips.filter(has_text="Mầm non").locator("a").first.get_attribute("href")

    # 3a. The catalogue has three of the plan's indicators (other offices' plans use them); the
    # office adds the fourth.
    office.go("/quan-tri/indicators/indicator/add/")
    office.fill(office.page.locator("#id_name"), "Xếp hạng chất lượng giáo dục của phường")
    office.select(office.page.locator("#id_unit"), "Mức độ/giai đoạn")
    office.select(office.page.locator("#id_aggregation"), "Số liệu của đơn vị (không tổng hợp từ trường)")
    office.click(office.page.locator("input[name=_save]").first)
    ranking = Indicator.objects.get(name="Xếp hạng chất lượng giáo dục của phường")
    assert ranking.created_by_unit == ward

    # 3b. The plan's document part and what it implements.
    office.go("/quan-tri/plans/plan/add/")
    page = office.page
    office.fill(page.locator("#id_number"), "45/KH-UBND")
    office.fill(page.locator("#id_title"), TITLE)
    office.choose("id_issuer", "Phường Tân Sơn")
    office.fill(page.locator("#id_issued_on"), "15/01/2026")
    office.fill(page.locator("#id_issue_date_wording"), "ngày 15 tháng 01 năm 2026")
    page.locator("#id_source_document").set_input_files(str(DOCUMENT_PATH))
    office.steps += 1
    office.fill(page.locator("#id_period_start_year"), "2026")
    office.fill(page.locator("#id_period_end_year"), "2030")
    office.select(page.locator("#id_baseline_label"), "Chỉ tiêu")
    office.fill(page.locator("#id_legal_basis"), "\n".join(_lines_starting("Căn cứ")))
    office.fill(page.locator("#id_general_objectives"), GENERAL_OBJECTIVES)
    office.fill(page.locator("#id_reporting_duty"), REPORTING_DUTY)
    for index, (kind, number, issued, issuer, title) in enumerate(PARENT_DOCUMENTS):
        if index:
            office.click(page.locator("#parent_documents-group .add-row a"))
        row = f"#id_parent_documents-{index}"
        office.select(page.locator(f"{row}-kind"), kind)
        office.fill(page.locator(f"{row}-number"), number)
        office.fill(page.locator(f"{row}-issued_on"), issued)
        office.fill(page.locator(f"{row}-issuer_wording"), issuer)
        office.fill(page.locator(f"{row}-title"), title)
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    screenshot(page, "new-office-03-plan-add")
    office.click(page.locator("input[name=_continue]").first)
    plan = Plan.objects.get(number="45/KH-UBND")
    assert [d.number for d in plan.parent_documents.order_by("order", "pk")] == ["210/KH-UBND", "12-CTr/ĐU"]

    # 3c. The document's milestone columns: 2028 besides the period's end, then the four targets.
    office.fill(page.locator("#id_milestone_year_add"), "2028")
    office.click(page.get_by_role("button", name="Thêm năm và lưu"))
    page.locator("#targets-0").wait_for()
    for index, (number, wording, first_year, in_2028, in_2030) in enumerate(_table_rows()):
        if index >= page.locator(".target-block:not(.empty-form)").count():
            office.click(page.locator("#targets-group .add-row a"))
        row = f"targets-{index}"
        office.fill(page.locator(f"#id_{row}-row_number"), number)
        office.choose(f"id_{row}-indicator", INDICATOR_FOR_ROW[number])
        office.fill(page.locator(f"#id_{row}-wording"), wording)
        office.fill(page.locator(f"#id_{row}-baseline_year"), "2026")
        office.fill(page.locator(f"#id_{row}-baseline_wording"), first_year)
        office.fill(page.locator(f"#id_{row}-milestone_2028"), in_2028)
        office.fill(page.locator(f"#id_{row}-milestone_2030"), in_2030)
    page.locator("#targets-3 output.reading", has_text="1").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    screenshot(page, "new-office-04-targets-typed")
    office.click(page.locator("input[name=_continue]").first)
    page.wait_for_load_state()
    assert plan.targets.count() == 4, page.locator(".errornote, .errorlist").all_inner_texts()
    unread = [
        (v.target.row_number, v.wording)
        for v in TargetValue.objects.filter(target__plan=plan).select_related("target")
        if v.value_kind in ("text", "empty") or v.flag == "unparsed"
    ]
    assert unread == []
    assert {v.wording for v in TargetValue.objects.filter(target__plan=plan)} == {
        cell for row in _table_rows() for cell in row[2:]
    }
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    screenshot(page, "new-office-05-plan-saved")

    # The plan's page, as anyone under the ward reads it: Căn cứ with both documents, the document
    # itself behind the plan's scope.
    office.go(f"/ke-hoach/{plan.pk}/")
    basis = page.locator("#can-cu")
    expect(basis).to_contain_text("210/KH-UBND")
    expect(basis).to_contain_text("12-CTr/ĐU")
    expect(page.locator("body")).to_contain_text("Chỉ tiêu năm 2026")
    assert page.locator("#can-cu ul.bullets, #can-cu p").count() >= 2  # the lines stay lines
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải văn bản").click()
    assert Path(download.value.path()).read_bytes() == DOCUMENT_PATH.read_bytes()
    screenshot(page, "new-office-06-plan-page")

    # 4. The period, proposed from the reporting duty.
    office.go("/ky-bao-cao/")
    office.click(page.get_by_role("link", name="Tạo kỳ báo cáo").first)
    office.go("/ky-bao-cao/tao/?nam=2027")
    expect(page.get_by_text("trước ngày 20/6 hằng năm").first).to_be_visible()
    screenshot(page, "new-office-07-period-proposals")
    office.click(page.get_by_role("link", name="Tạo kỳ này").first)
    expect(page.get_by_label("Tên kỳ báo cáo")).to_have_value("6 tháng đầu năm 2027")
    office.click(page.get_by_role("button", name="Tạo kỳ báo cáo"))
    expect(page.locator(".messages")).to_contain_text("Đã tạo kỳ báo cáo")
    office.click(page.get_by_role("button", name="Mở kỳ"))
    period = ReportingPeriod.objects.get(plan=plan, label="6 tháng đầu năm 2027")
    assert period.status == ReportingPeriod.Status.OPEN and period.due_on == date(2027, 6, 20)
    setup_steps = superuser_steps + office.steps
    print(f"\nset-up steps: superuser {superuser_steps}, office {office.steps}, together {setup_steps}")

    # 5. The preschool's principal: the first-log-in link from the sheet, on a phone.
    principal = Person(page_factory(viewport=PHONE), live_server.url)
    principal.page.goto(preschool_link)
    principal.fill(principal.page.get_by_label("Họ và tên"), "Lê Thị Mai")
    principal.fill(principal.page.get_by_label("Số điện thoại"), "0905 123 456")
    principal.fill(principal.page.get_by_label("Mật khẩu mới", exact=True), PASSWORD)
    principal.fill(principal.page.get_by_label("Nhập lại mật khẩu mới"), PASSWORD)
    principal.click(principal.page.get_by_role("button", name="Đặt mật khẩu và vào cổng"))
    form = principal.page
    form.wait_for_url(re.compile(r".*/bao-cao/.*"))
    expect(form.get_by_role("heading", name="Trường Mầm non Tân Sơn")).to_be_visible()
    enrolment = form.get_by_role("group", name=re.compile("Tỷ lệ huy động trẻ mẫu giáo"))
    principal.fill(enrolment.get_by_label("Tử số"), "196")
    principal.fill(enrolment.get_by_label("Mẫu số"), "200")
    stunting = form.get_by_role("group", name=re.compile("suy dinh dưỡng"))
    principal.fill(stunting.get_by_label("Tử số"), "5")
    principal.fill(stunting.get_by_label("Mẫu số"), "200")
    screenshot(form, "new-office-08-principal-form")
    principal.click(form.get_by_role("button", name="Gửi báo cáo"))
    expect(form.locator(".messages")).to_contain_text("Đã gửi")
    school = OrgUnit.objects.get(name="Trường Mầm non Tân Sơn")
    submission = Submission.objects.get(period=period, school=school)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submitted_by.get_full_name() == "Lê Thị Mai"
    screenshot(form, "new-office-09-principal-sent")

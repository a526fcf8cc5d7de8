"""Writes to plans: loading a whole plan document, and keeping its values in step with their wording."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.services import task_create
from indicators.services import indicator_get_or_create
from indicators.wording import ValueKind, format_decimal_vi, parse_value
from organisations.models import OrgUnit

from .budget import BudgetRow, budget_tree
from .models import BudgetLine, BudgetSpending, FundingSource, ParentDocument, Plan, Target, TargetValue

# BudgetSpending.amount holds 16 digits, 3 of them decimals (million VND: 0,001 is a thousand đồng).
SPENDING_MAX = Decimal("9999999999999.999")
SPENDING_PLACES = Decimal("0.001")
SPENDING_NOTE_MAX_LENGTH = 1000


def amount_from_wording(wording: str | None) -> Decimal | None:
    """ "344.050" → Decimal("344050"), "3000" → Decimal("3000"); None for an empty cell.
    Raises ValueError when the cell holds something other than a number."""
    if wording is None or not str(wording).strip():
        return None
    parsed = parse_value(str(wording))
    if parsed.kind != ValueKind.COUNT or parsed.value is None or parsed.noun:
        raise ValueError(f"Không đọc được số tiền “{wording}”.")
    return parsed.value


@transaction.atomic
def target_set_values(*, target: Target, baseline: tuple[int, str] | None, milestones: dict[int, str]) -> Target:
    """Make the target's baseline and milestone values exactly these (year → wording).
    A year absent from `milestones` is removed; a wording of "" keeps the year as an empty cell."""
    if baseline is None:
        target.values.filter(role=TargetValue.Role.BASELINE).delete()
    else:
        year, wording = baseline
        target.values.filter(role=TargetValue.Role.BASELINE).exclude(year=year).delete()
        _set_value(target, TargetValue.Role.BASELINE, year, wording)
    target.values.filter(role=TargetValue.Role.MILESTONE).exclude(year__in=list(milestones)).delete()
    for year, wording in milestones.items():
        _set_value(target, TargetValue.Role.MILESTONE, year, wording)
    return target


def _set_value(target: Target, role: str, year: int, wording: str) -> None:
    value = TargetValue.objects.filter(target=target, role=role, year=year).first() or TargetValue(
        target=target, role=role, year=year
    )
    if value.pk and value.wording == (wording or "").strip():
        return
    value.wording = wording or ""
    value.full_clean(exclude=["target"])
    value.save()


@transaction.atomic
def plan_load_document(*, data: dict, units: dict[str, OrgUnit], source_text: str | None = None) -> Plan:
    """Create a plan with its targets, tasks and budget lines from a fixture document
    (fixtures/README.md). A plan with the same issuer and title is replaced whole, so loading is
    idempotent. Returns the new plan."""
    head = data["plan"]
    issuer = units[head["issuer"]]
    for old in Plan.objects.filter(issuer=issuer, title=head["title"].strip()):
        document = old.source_document.name
        try:
            old.delete()
        except ProtectedError:
            # Reporting periods or results hang on it: replacing it would lose real data.
            raise ValidationError(
                _("Kế hoạch “%(title)s” đã có kỳ báo cáo hoặc kết quả nên không nạp lại.") % {"title": old.title[:80]}
            ) from None
        if document:
            old.source_document.storage.delete(document)  # or every reload leaves a copy behind
    plan = Plan(
        number=head.get("number") or "",
        title=head["title"].strip(),
        issuer=issuer,
        issued_on=head.get("issued_on"),
        issue_date_wording=head.get("issue_date_wording") or "",
        status=head.get("status") or Plan.Status.DRAFT,
        period_start_year=head["period_start_year"],
        period_end_year=head["period_end_year"],
        orientation_year=head.get("orientation_year"),
        vision_year=head.get("vision_year"),
        period_wording=head.get("period_wording") or "",
        legal_basis=head.get("legal_basis") or "",
        general_objectives=head.get("general_objectives") or "",
        specific_objectives=head.get("specific_objectives") or "",
        reporting_duty=head.get("reporting_duty") or "",
        budget_stated_total_wording=str(head.get("budget_stated_total") or ""),
        budget_stated_total=amount_from_wording(head.get("budget_stated_total")),
        is_demo=bool(head.get("demo")),
    )
    plan.full_clean()
    if source_text is not None:
        plan.source_document.save(data.get("source") or "ke-hoach.txt", ContentFile(source_text.encode()), save=False)
    plan.save()

    for order, row in enumerate(data.get("targets") or [], start=1):
        indicator = indicator_get_or_create(**row["indicator"])
        target = Target(
            plan=plan,
            indicator=indicator,
            section=row.get("section") or "",
            row_number=str(row.get("row_number") or ""),
            order=order,
            wording=row["wording"].strip(),
            note=row.get("note") or "",
        )
        target.full_clean()
        target.save()
        baseline = row.get("baseline")
        target_set_values(
            target=target,
            baseline=(int(baseline["year"]), str(baseline.get("wording") or "")) if baseline else None,
            milestones={int(year): str(wording or "") for year, wording in (row.get("milestones") or {}).items()},
        )

    for order, row in enumerate(data.get("tasks") or [], start=1):
        task_create(
            plan=plan,
            order=order,
            row_number=str(row.get("row_number") or ""),
            content=row["content"].strip(),
            lead_wording=row.get("lead_wording") or "",
            coordinators_wording=row.get("coordinators_wording") or "",
            timing_wording=row.get("timing") or "",
            leads=[_participant(p, units) for p in row.get("leads") or []],
            coordinators=[_participant(p, units) for p in row.get("coordinators") or []],
            note=row.get("note") or "",
        )

    for order, row in enumerate(data.get("parent_documents") or [], start=1):
        parent_document_save(document=_parent_document_from_row(plan, order, row))

    for order, row in enumerate(data.get("budget_lines") or [], start=1):
        wording = row.get("amount")
        line = BudgetLine(
            plan=plan,
            number=str(row["number"]),
            order=order,
            content=row["content"].strip(),
            amount=amount_from_wording(wording),
            amount_wording=str(wording or "").strip(),
            funding_wording=row.get("funding") or "",
            note=row.get("note") or "",
        )
        line.full_clean()
        line.save()
        line.funding_sources.set(
            [FundingSource.objects.get_or_create(name=name.strip())[0] for name in row.get("funding_sources") or []]
        )
    return plan


def _parent_document_from_row(plan: Plan, order: int, row: dict) -> ParentDocument:
    """A fixture's `parent_documents` entry (fixtures/README.md) as an unsaved row."""
    issued_on = row.get("issued_on")
    if isinstance(issued_on, str):
        issued_on = datetime.date.fromisoformat(issued_on)
    return ParentDocument(
        plan=plan,
        kind=row.get("kind") or ParentDocument.Kind.PARENT_PLAN,
        number=str(row.get("number") or "").strip(),
        issued_on=issued_on,
        issue_date_wording=row.get("issue_date_wording") or "",
        issuer_wording=row.get("issuer") or "",
        title=(row.get("title") or "").strip(),
        order=order,
    )


def _participant(row: dict, units: dict[str, OrgUnit]) -> OrgUnit | str:
    return units[row["unit"]] if row.get("unit") else row["name"]


def seed_paths(root: Path) -> list[Path]:
    return sorted((root / "plans").glob("*.yaml"))


# --- spending ----------------------------------------------------------------------------------


def budget_spending_years(*, plan: Plan, today: datetime.date) -> list[int]:
    """The years spending can be recorded for, oldest first: the plan's period start to its
    orientation (or end) year, and not after this year."""
    last = min(plan.orientation_year or plan.period_end_year, today.year)
    return list(range(plan.period_start_year, last + 1))


def budget_line_is_section(line: BudgetLine) -> bool:
    """True when other lines of the plan sit under this one (plans.budget numbering): one query."""
    rows = [
        BudgetRow(number=number, content="", amount=None)
        for number in BudgetLine.objects.filter(plan_id=line.plan_id).values_list("number", flat=True)
    ]
    nodes = [node for root in budget_tree(rows) for node in root.walk()]
    return any(node.is_section for node in nodes if node.number == line.number)


def _spending_amount_error(amount) -> str | None:
    if amount is None:
        return _("Nhập số tiền đã chi (triệu đồng).")
    if not isinstance(amount, Decimal | int) or isinstance(amount, bool) or not Decimal(amount).is_finite():
        return _("Số tiền đã chi phải là một số.")
    amount = Decimal(amount)
    if amount < 0:
        return _("Số tiền đã chi không được âm.")
    if amount > SPENDING_MAX:
        return _("Số tiền quá lớn: tối đa %(max)s triệu đồng.") % {"max": format_decimal_vi(SPENDING_MAX)}
    if amount != amount.quantize(SPENDING_PLACES):
        return _("Số tiền ghi tối đa 3 chữ số thập phân (đơn vị triệu đồng, tức đến nghìn đồng).")
    return None


@transaction.atomic
def budget_spending_record(*, line: BudgetLine, year: int, amount: Decimal, note: str, by) -> BudgetSpending:
    """Make what was spent on `line` in `year` exactly `amount` (million VND; 0 is an amount) with
    `note`: creates the year's record or updates it (history author `by`; nothing is written when
    amount and note are unchanged). Returns the record.

    Refused with a Vietnamese ValidationError (keyed by field): a line that has lines under it (its
    spending is theirs, summed); a year outside the plan's period start to orientation (or end)
    year, or after this year; no amount, a negative one, more than the column holds
    (SPENDING_MAX) or finer than 0,001; a note longer than SPENDING_NOTE_MAX_LENGTH or holding NUL.
    The caller has checked that `by` manages the line's plan (plans.permissions)."""
    # Locked: two offices recording the same line and year at once are written one after the other.
    line = BudgetLine.objects.select_for_update(of=("self",)).select_related("plan").get(pk=line.pk)
    plan = line.plan
    note = (note or "").strip()
    if budget_line_is_section(line):
        message = _("Mục %(number)s có các dòng con: ghi số đã chi vào từng dòng, mục tự cộng lại.")
        raise ValidationError({"line": message % {"number": line.number}})
    errors: dict[str, str] = {}
    first, last = plan.period_start_year, plan.orientation_year or plan.period_end_year
    if not isinstance(year, int) or not first <= year <= last:
        errors["year"] = _("Năm phải trong giai đoạn của kế hoạch, từ %(first)s đến %(last)s.") % {
            "first": first,
            "last": last,
        }
    elif year > timezone.localdate().year:
        errors["year"] = _("Chưa đến năm %(year)s: chỉ ghi số đã chi của năm nay và các năm trước.") % {"year": year}
    if (message := _spending_amount_error(amount)) is not None:
        errors["amount"] = message
    if "\x00" in note:
        errors["note"] = _("Ghi chú có ký tự không hợp lệ (NUL). Hãy gõ lại hoặc dán dưới dạng văn bản thường.")
    elif len(note) > SPENDING_NOTE_MAX_LENGTH:
        errors["note"] = _("Ghi chú dài quá %(max)s ký tự.") % {"max": SPENDING_NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)

    amount = Decimal(amount) + 0  # + 0: "-0" is stored as 0
    spending = BudgetSpending.objects.filter(line=line, year=year).first()
    if spending is None:
        spending = BudgetSpending(line=line, year=year)
    elif spending.amount == amount and spending.note == note:
        return spending
    spending.amount, spending.note = amount, note
    spending.recorded_by, spending.recorded_at = by, timezone.now()
    spending._history_user = by  # the author, also outside a web request
    spending.full_clean()
    spending.save()
    return spending


# --- the plan's milestone years ("Thêm năm" on the plan page) -----------------------------------


def plan_milestone_year_check_add(*, plan: Plan, year: int) -> None:
    """Raise ValidationError unless `year` may become a milestone column of the plan."""
    first, last = plan.milestone_year_range
    if not first <= year <= last:
        raise ValidationError(
            _("Năm %(year)s nằm ngoài kế hoạch: chọn một năm từ %(first)s đến %(last)s.")
            % {"year": year, "first": first, "last": last}
        )


def plan_milestone_year_check_remove(*, plan: Plan, year: int) -> None:
    """Raise ValidationError unless the column `year` can go: the period's end and the orientation
    year always have one, and a year with values keeps it until its cells are emptied (nothing
    typed is lost by removing a column)."""
    if year in plan.fixed_milestone_years:
        raise ValidationError(
            _("Năm %(year)s là năm cuối giai đoạn hoặc năm định hướng: luôn có cột.") % {"year": year}
        )
    count = TargetValue.objects.filter(target__plan=plan, role=TargetValue.Role.MILESTONE, year=year).count()
    if count:
        raise ValidationError(
            _(
                "Năm %(year)s còn %(count)s giá trị chỉ tiêu nên chưa bỏ được. Xóa nội dung các ô của năm đó, "
                "lưu, rồi bỏ năm."
            )
            % {"year": year, "count": count}
        )


@transaction.atomic
def plan_milestone_years_change(*, plan: Plan, add: list[int] = (), remove: list[int] = ()) -> Plan:
    """Add and remove milestone columns of the plan (Plan.extra_milestone_years). Raises
    ValidationError for a year out of the plan's range or a column that still holds values."""
    for year in add:
        plan_milestone_year_check_add(plan=plan, year=year)
    for year in remove:
        plan_milestone_year_check_remove(plan=plan, year=year)
    years = {y for y in (plan.extra_milestone_years or []) if isinstance(y, int)}
    years = (years | set(add)) - set(remove) - plan.fixed_milestone_years
    plan.extra_milestone_years = sorted(years)
    plan.save(update_fields=["extra_milestone_years", "updated_at"])
    return plan


# --- parent documents ("Căn cứ") ------------------------------------------------------------------


def plan_parent_sync(*, plan: Plan) -> Plan:
    """Make `plan.parent` the plan linked by its first parent document (by order) of kind
    PARENT_PLAN, or None when it has none: Plan.parent is derived from the documents, kept as a
    column because plans.cascade and the dashboards join on it. Called by every write below and
    by the admin's document inline (plans.admin_documents); writes only when it changes."""
    parent_id = (
        ParentDocument.objects.filter(plan=plan, kind=ParentDocument.Kind.PARENT_PLAN, linked_plan__isnull=False)
        .order_by("order", "pk")
        .values_list("linked_plan_id", flat=True)
        .first()
    )
    if plan.parent_id != parent_id:
        plan.parent_id = parent_id  # no loop: ParentDocument.clean refused it before the document was saved
        plan.save(update_fields=["parent", "updated_at"])
    return plan


@transaction.atomic
def parent_document_save(*, document: ParentDocument) -> ParentDocument:
    """Create or update a parent document, then keep its plan's `parent` in step (plan_parent_sync).
    Raises ValidationError (Vietnamese, by field) for a document without number or title, linked to
    its own plan, or making two plans each other's parent. The caller has checked that the person
    may edit `document.plan` and read `document.linked_plan` (plans.permissions)."""
    document.full_clean()
    document.save()
    plan_parent_sync(plan=document.plan)
    return document


@transaction.atomic
def parent_document_link(*, document: ParentDocument, linked_plan: Plan | None) -> ParentDocument:
    """Link a registered document to the plan in the portal it names (None: unlink). Checks as
    parent_document_save; the caller has checked that the person may edit the document's plan
    and read `linked_plan`."""
    document.linked_plan = linked_plan
    return parent_document_save(document=document)


@transaction.atomic
def parent_document_delete(*, document: ParentDocument) -> None:
    plan = document.plan
    document.delete()
    plan_parent_sync(plan=plan)

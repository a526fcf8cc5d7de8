"""Writes to plans: loading a whole plan document, and keeping its values in step with their wording."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from assignments.services import task_create
from indicators.services import indicator_get_or_create
from indicators.wording import ValueKind, parse_value
from organisations.models import OrgUnit

from .models import BudgetLine, FundingSource, Plan, Target, TargetValue


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


def _participant(row: dict, units: dict[str, OrgUnit]) -> OrgUnit | str:
    return units[row["unit"]] if row.get("unit") else row["name"]


def seed_paths(root: Path) -> list[Path]:
    return sorted((root / "plans").glob("*.yaml"))

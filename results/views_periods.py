"""The office's reporting periods: the list with counts by status, a new period (by hand or from
the plan's reporting duty), open (a warning when the due date has passed) and close, and a
period's review table (sort, search, filter, pages, commune headings) and its reminder export.

Who gets what (tests/results/test_review_pages.py, test_periods.py check each line):
- office staff and leaders whose units the period's plan reaches: the list, the period page and
  the export, each person seeing only the schools under their own units, counted in SQL;
- office staff who manage the plan's issuing unit (results.permissions.can_manage_period): also
  create, open and close periods; anyone else who can see the page gets 403 on those POSTs;
- principals without an office or leader role: 404; outside the user's units: 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from organisations.permissions import is_office_staff
from portal.forms import redirect_to_next

from .exports import EXPORT_FORMATS, missing_export
from .filters import ReviewFilter
from .forms_periods import PeriodForm, PeriodStatusForm, plans_managed_by
from .models import ReportingPeriod
from .permissions import can_manage_period, get_period_for_user, period_list_visible_to, require_reviewer
from .proposals import plan_proposals
from .review import (
    next_submission_to_review,
    not_sent_units,
    plans_asks,
    reporting_units,
    review_summary,
    review_units,
    with_status_counts,
)
from .services import PastDueNotAcknowledged, period_create, period_set_status
from .tables import PER_PAGE, CountedPaginator, ReviewTable
from .terms import REVIEW_STATUS_LABELS, REVIEW_STATUSES, TERMS, lateness


def _may_create(user) -> bool:
    return user.is_superuser or is_office_staff(user)


# ---------------------------------------------------------------- the list


@login_required
def period_list_view(request: HttpRequest) -> HttpResponse:
    """The periods the user can see, grouped by plan, with how many schools are at each status
    (counted in SQL for all periods at once, in the user's scope)."""
    require_reviewer(request.user)
    periods = period_list_visible_to(user=request.user).order_by("plan__issuer__path", "plan_id", "-year", "-due_on")
    groups: dict[int, tuple] = {}
    for period in with_status_counts(periods, request.user):
        line = {
            "period": period,
            "url": reverse("review:period_detail", args=[period.pk]),
            "counts": [(code, label, period.status_counts[code]) for code, label in REVIEW_STATUSES],
            "can_manage": can_manage_period(user=request.user, period=period),
            "past_due": period.is_overdue_on(timezone.localdate()),
        }
        groups.setdefault(period.plan_id, (period.plan, []))[1].append(line)
    context = {
        "groups": list(groups.values()),
        "statuses": REVIEW_STATUSES,
        "may_create": _may_create(request.user),
        "today": timezone.localdate(),
        "terms": TERMS,
    }
    return render(request, "results/period_list.html", context)


# ---------------------------------------------------------------- a new period


def _year_from(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1945 <= year <= 2100 else timezone.localdate().year


@login_required
def period_create_view(request: HttpRequest) -> HttpResponse:
    """A new period: the form, and the periods the managed plans' reporting duty proposes for the
    year (?nam=), each one click from a prefilled form (?ke_hoach=<plan>&de_xuat=<n>)."""
    require_reviewer(request.user)
    if not _may_create(request.user):
        raise PermissionDenied
    plans = plans_managed_by(request.user)
    if not plans.exists():
        raise PermissionDenied
    year = _year_from(request)
    chosen = plans.filter(pk=request.GET.get("ke_hoach")).first() if request.GET.get("ke_hoach", "").isdigit() else None
    proposed = plan_proposals([chosen] if chosen else plans[:30], year)
    initial = {"plan": chosen.pk, "year": year} if chosen else {"year": year}
    if chosen and request.GET.get("de_xuat", "").isdigit():
        index = int(request.GET["de_xuat"])
        options = proposed[0].proposals
        if index < len(options):
            initial = options[index][0].as_initial(chosen.pk)
    form = PeriodForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            period = period_create(by=request.user, **form.period_fields())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Đã tạo kỳ báo cáo “%(label)s” (chưa mở: bấm “Mở kỳ” khi sẵn sàng nhận báo cáo).")
                % {"label": period.label},
            )
            return redirect("review:period_detail", pk=period.pk)
    context = {"form": form, "proposed": proposed, "year": year, "chosen": chosen}
    return render(request, "results/period_form.html", context)


# ---------------------------------------------------------------- open and close


def _back(request: HttpRequest):
    return redirect_to_next(request, default="review:period_list")


def _set_period_status(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    require_reviewer(request.user)
    period = get_period_for_user(request.user, pk, manage=True)  # 403 for leaders and lower offices
    form = PeriodStatusForm(request.POST, request=request)
    form.is_valid()  # every field may be missing; a bad `next` is dropped, the box is a yes or a no
    acknowledged = form.cleaned_data.get("biet_qua_han", False)
    try:
        period_set_status(period=period, status=status, by=request.user, past_due_acknowledged=acknowledged)
    except PastDueNotAcknowledged as warning:
        # Not silently: a page that says why, with the box to tick (nothing else is lost).
        context = {"period": period, "warning": " ".join(warning.messages), "next": form.cleaned_data.get("next", "")}
        return render(request, "results/period_open_confirm.html", context, status=200)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if status == ReportingPeriod.Status.OPEN:
            text = _("Đã mở kỳ báo cáo “%(label)s”.") % {"label": period.label}
            if acknowledged:
                text += " " + _("Hạn nộp đã qua: các trường chưa gửi được tính là quá hạn.")
        else:
            text = _("Đã đóng kỳ báo cáo “%(label)s”.") % {"label": period.label}
        messages.success(request, text)
    return _back(request)


@login_required
@require_POST
def period_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_period_status(request, pk, ReportingPeriod.Status.OPEN)


@login_required
@require_POST
def period_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_period_status(request, pk, ReportingPeriod.Status.CLOSED)


# ---------------------------------------------------------------- a period's table

# The table's orders in words, for the filter form (a phone shows no column headers to click).
SORT_CHOICES = [
    ("commune_name", _lazy("Xã/phường (theo nhóm)")),
    ("name", _lazy("Tên trường")),
    ("status", _lazy("Trạng thái")),
    ("submitted_at", _lazy("Gửi sớm nhất")),
    ("-submitted_at", _lazy("Gửi gần nhất")),
    ("-reviewed_at", _lazy("Duyệt/trả lại gần nhất")),
    ("level_name", _lazy("Cấp học")),
]


@login_required
def period_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every school of the period under the user's units: sortable, searchable (?q=), filtered by
    status (?trang_thai=), commune (?xa=) and level (?cap=), 50 a page, with commune headings."""
    require_reviewer(request.user)
    period = get_period_for_user(request.user, pk)
    asks = plans_asks([period.plan_id])[period.plan_id]
    summary = review_summary(reporting_units(period, request.user, asks))
    filters = ReviewFilter(
        request.GET or None, queryset=review_units(period, request.user, asks), communes=summary.communes
    )
    rows = filters.qs
    status = filters.status
    known = None if filters.narrows_beyond_status else (summary.counts.get(status, 0) if status else summary.total)
    table = ReviewTable(rows)
    paginate = {"per_page": PER_PAGE, "paginator_class": CountedPaginator, "known_count": known}
    RequestConfig(request, paginate=paginate).configure(table)
    today = timezone.localdate()
    lines, previous = [], object()
    for unit in (row.record for row in table.page.object_list):
        head = None
        if table.grouped_by_commune and unit.commune_id != previous:
            head = summary.by_commune.get(unit.commune_id)  # the commune's subtotal, over every page
            previous = unit.commune_id
        late = lateness(status=unit.status, submitted_at=unit.submitted_at, due_on=period.due_on, today=today)
        lines.append({"unit": unit, "late": late, "label": REVIEW_STATUS_LABELS[unit.status], "head": head})
    # The issuing unit's own facts (entered by its office) get a line at the top of every page.
    own = review_units(period, request.user, asks).filter(is_own=True).first() if asks.unit_facts else None
    context = {
        "period": period,
        "table": table,
        "lines": lines,
        "filter": filters,
        "summary": summary,
        "counts": summary.labelled(),
        "status": status,
        "own": own,
        "own_label": REVIEW_STATUS_LABELS[own.status] if own else "",
        "can_manage": can_manage_period(user=request.user, period=period),
        "next_report": next_submission_to_review(period, request.user),
        "formats": list(EXPORT_FORMATS),
        "past_due": period.is_overdue_on(today),
        "terms": TERMS,
        "sort_choices": SORT_CHOICES,
        "sort": request.GET.get("sort", "commune_name"),
    }
    return render(request, "results/period_review.html", context)


@login_required
def period_missing_export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The schools (under the user's units) that have not sent, as CSV or XLSX, for reminders:
    with each school's principal and how to reach them."""
    require_reviewer(request.user)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    period = get_period_for_user(request.user, pk)
    export = missing_export(period, list(not_sent_units(period, request.user)), fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response

"""Admin of results: reporting periods, which the office creates, opens and closes here, and, read
only, the schools' submissions with their values and workflow log. Submissions are reviewed on
results' own pages (/ky-bao-cao/, results.views_review), where the workflow's services and version
checks run: every submission screen here links there, and nobody (superusers included) changes a
submission, a value or an event in the admin.

Model-level access follows the role (permissions_by_role): the office staff group
(organisations.services.office_staff_group_ensure) lists no permission on results. Rows follow the
person's units like the rest of the admin (organisations.admin.OfficeAdminMixin).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from organisations.admin import OfficeAdminMixin
from plans.admin_base import PlanPartAdminMixin, plan_filter, plan_label
from plans.models import Plan
from plans.permissions import plan_list_managed_by
from portal.admin_history import PortalHistoryAdmin

from .models import ReportingPeriod, ResultValue, ReviewNote, Submission, SubmissionEvent
from .permissions import submission_list_visible_to
from .services import PastDueNotAcknowledged, period_set_status
from .terms import lateness


def _link(url_name: str, pk: int, text) -> str:
    """A link to results' own page, or "—" while that page is not mounted."""
    try:
        url = reverse(url_name, args=[pk])
    except NoReverseMatch:
        return "—"
    return format_html('<a href="{}">{}</a>', url, text)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PlanPartAdminMixin, PortalHistoryAdmin):
    """Periods of the plans the person can read; created, changed, opened and closed by the office
    of the plan's issuing unit (can_edit_plan, the same rule as results.permissions.can_manage_period)."""

    permissions_by_role = True
    list_display = ["label", "plan_short", "kind", "year", "opens_on", "due_on", "status", "review_link"]
    list_filter = [plan_filter(), "status", "kind", "year"]
    search_fields = ["label", "due_wording", "plan__number", "plan__title"]
    search_help_text = _("Tìm theo tên kỳ, hạn nộp hoặc số hiệu, trích yếu kế hoạch.")
    autocomplete_fields = ["plan"]
    list_select_related = ["plan__issuer"]
    ordering = ["-year", "-due_on"]
    fieldsets = [
        (None, {"fields": ["plan", "kind", "label", "year", "status"]}),
        (_("Thời gian"), {"fields": ["starts_on", "ends_on", "opens_on", "due_on", "due_wording"]}),
    ]
    actions = ["open_periods", "close_periods"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            managed, base = plan_list_managed_by(user=request.user), Plan.objects.select_related("issuer")
            kwargs["queryset"] = self.scoped_choices(request, db_field, managed, base=base)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("kế hoạch"), ordering="plan")
    def plan_short(self, obj: ReportingPeriod) -> str:
        return plan_label(obj.plan)

    @admin.display(description=_("xét duyệt"))
    def review_link(self, obj: ReportingPeriod) -> str:
        return _link("review:period_detail", obj.pk, gettext("Các trường"))

    @admin.action(description=_("Mở nhận báo cáo các kỳ đã chọn"), permissions=["change"])
    def open_periods(self, request, queryset):
        self._set_status(request, queryset, ReportingPeriod.Status.OPEN)

    @admin.action(description=_("Đóng các kỳ báo cáo đã chọn"), permissions=["change"])
    def close_periods(self, request, queryset):
        self._set_status(request, queryset, ReportingPeriod.Status.CLOSED)

    def _set_status(self, request, queryset, status: str) -> None:
        done = refused = 0
        for period in queryset.select_related("plan__issuer"):
            # The list shows periods the person may only read (a plan from above): checked per row.
            if not self.has_change_permission(request, period):
                refused += 1
                continue
            try:
                period_set_status(period=period, status=status, by=request.user)
            except PastDueNotAcknowledged:
                # Never silently: the periods page asks "Tôi biết hạn đã qua" first.
                self.message_user(
                    request,
                    gettext(
                        "Kỳ “%(label)s” đã quá hạn nộp (%(due)s) nên chưa mở: hãy mở ở trang Kỳ báo cáo, "
                        "nơi bạn xác nhận đã biết hạn đã qua."
                    )
                    % {"label": period.label, "due": period.due_on.strftime("%d/%m/%Y")},
                    messages.WARNING,
                )
                continue
            done += 1
        if done:
            label = ReportingPeriod.Status(status).label
            self.message_user(
                request,
                ngettext("Đã chuyển %(n)d kỳ sang “%(status)s”.", "Đã chuyển %(n)d kỳ sang “%(status)s”.", done)
                % {"n": done, "status": label},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(n)d kỳ không thuộc đơn vị bạn quản lý nên không đổi.",
                    "%(n)d kỳ không thuộc đơn vị bạn quản lý nên không đổi.",
                    refused,
                )
                % {"n": refused},
                messages.WARNING,
            )


class SubmissionScopeMixin(OfficeAdminMixin):
    """Read-only rows of the submissions of schools under the person's units
    (results.permissions.submission_list_visible_to); `submission_path` leads to the submission."""

    permissions_by_role = True
    read_only = True
    submission_path = ""

    def scope_queryset(self, request, queryset):
        visible = submission_list_visible_to(user=request.user).values("pk")
        return queryset.filter(**{f"{self.submission_path or 'pk'}__in": visible})


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResultValueInline(ReadOnlyInline):
    model = ResultValue
    fields = ["target", "display_value", "note", "evidence", "confirmed_unusual"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")

    def has_view_permission(self, request, obj=None):
        return True  # shown on a submission page the person already reached through its scope

    @admin.display(description=_("giá trị"))
    def display_value(self, obj: ResultValue) -> str:
        return obj.display


class SubmissionEventInline(ReadOnlyInline):
    model = SubmissionEvent
    fields = ["at", "action", "by", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_view_permission(self, request, obj=None):
        return True


class ReviewNoteInline(ReadOnlyInline):
    """The office's comments on single values, each with the return it was written at."""

    model = ReviewNote
    fields = ["at", "target", "text", "by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target", "by")

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Submission)
class SubmissionAdmin(SubmissionScopeMixin, PortalHistoryAdmin):
    list_display = ["school", "period", "status", "submitted_at", "late", "reviewed_at", "review_link"]
    list_filter = [plan_filter("period__plan"), "status", ("period", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["school__name", "school__code", "period__label"]
    search_help_text = _("Tìm theo tên, mã trường hoặc tên kỳ báo cáo.")
    list_select_related = ["school", "period__plan__issuer"]
    fields = [
        "period",
        "school",
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
        "review_link",
    ]
    readonly_fields = ["review_link"]
    inlines = [ResultValueInline, SubmissionEventInline, ReviewNoteInline]

    def related_histories(self, obj):
        targets = dict(obj.period.plan.targets.values_list("pk", "wording"))
        return [
            (
                ResultValue,
                ResultValue.history.filter(submission_id=obj.pk),
                lambda record: (targets.get(record.target_id) or "")[:60],
            )
        ]

    @admin.display(description=_("hạn nộp"))
    def late(self, obj: Submission) -> str:
        """The pages' lateness rule (results.terms), so the admin never disagrees with them."""
        return lateness(
            status=obj.status, submitted_at=obj.submitted_at, due_on=obj.period.due_on, today=timezone.localdate()
        )

    @admin.display(description=_("xét duyệt"))
    def review_link(self, obj: Submission) -> str:
        return _link("review:submission_detail", obj.pk, gettext("Mở trang xét duyệt"))


@admin.register(ResultValue)
class ResultValueAdmin(SubmissionScopeMixin, PortalHistoryAdmin):
    submission_path = "submission"
    list_display = ["target_short", "school", "period", "display_value", "confirmed_unusual"]
    list_filter = [plan_filter("submission__period__plan"), "submission__status"]
    search_fields = ["target__wording", "submission__school__name"]
    list_select_related = ["target", "submission__school", "submission__period"]
    fields = [
        "submission",
        "target",
        "number",
        "numerator",
        "denominator",
        "stage",
        "boolean",
        "note",
        "evidence",
        "confirmed_unusual",
        "review_link",
    ]
    readonly_fields = ["review_link"]

    @admin.display(description=_("chỉ tiêu"), ordering="target__wording")
    def target_short(self, obj: ResultValue) -> str:
        return obj.target.wording[:80]

    @admin.display(description=_("trường"), ordering="submission__school__name")
    def school(self, obj: ResultValue) -> str:
        return obj.submission.school.name

    @admin.display(description=_("kỳ báo cáo"))
    def period(self, obj: ResultValue) -> str:
        return obj.submission.period.label

    @admin.display(description=_("giá trị"))
    def display_value(self, obj: ResultValue) -> str:
        return obj.display

    @admin.display(description=_("xét duyệt"))
    def review_link(self, obj: ResultValue) -> str:
        return _link("review:submission_detail", obj.submission_id, gettext("Mở trang xét duyệt"))


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(SubmissionScopeMixin, admin.ModelAdmin):
    """The workflow's own log (who submitted, returned, approved, reopened): read-only by nature."""

    submission_path = "submission"
    list_display = ["at", "action", "submission", "by", "comment"]
    list_filter = ["action", plan_filter("submission__period__plan")]
    search_fields = ["submission__school__name", "comment"]
    list_select_related = ["submission__school", "submission__period__plan__issuer", "by"]
    date_hierarchy = "at"
    fields = ["submission", "action", "by", "at", "comment"]

"""The office's form for a new reporting period (/ky-bao-cao/tao/): plan, year, name, due date;
the period's dates follow from the kind and the year when left empty."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.permissions import units_managed_by
from plans.models import Plan
from portal.forms import NextUrlForm

from .models import ReportingPeriod
from .proposals import OPENS_BEFORE_DUE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def plans_managed_by(user):
    """Plans whose issuing unit the user's office manages (results.permissions.can_manage_period)."""
    return (
        Plan.objects.filter(issuer__in=units_managed_by(user)).select_related("issuer").order_by("issuer__path", "pk")
    )


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["plan", "kind", "label", "year", "due_on", "due_wording", "starts_on", "ends_on", "opens_on"]
        widgets = {"due_on": DATE, "starts_on": DATE, "ends_on": DATE, "opens_on": DATE}
        help_texts = {
            "starts_on": _("Để trống: ngày 01/01 của năm."),
            "ends_on": _("Để trống: 31/12 của năm (30/6 với kỳ 6 tháng)."),
            "opens_on": _("Để trống: 30 ngày trước hạn nộp."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans_managed_by(user)
        self.fields["plan"].label_from_instance = lambda plan: f"{plan.issuer.name} – {plan.number or plan.title[:60]}"
        for name in ("starts_on", "ends_on", "opens_on"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        year, kind, due = data.get("year"), data.get("kind"), data.get("due_on")
        if year and not data.get("starts_on"):
            data["starts_on"] = datetime.date(year, 1, 1)
        if year and not data.get("ends_on"):
            if kind == ReportingPeriod.Kind.QUARTER:
                self.add_error("ends_on", _("Kỳ theo quý: hãy ghi ngày kết thúc của quý."))
            else:
                data["ends_on"] = (
                    datetime.date(year, 6, 30)
                    if kind == ReportingPeriod.Kind.HALF_YEAR
                    else (datetime.date(year, 12, 31))
                )
        if due and not data.get("opens_on"):
            start = data.get("starts_on") or due
            data["opens_on"] = min(due, max(start, due - OPENS_BEFORE_DUE))
        for name in ("starts_on", "ends_on", "opens_on"):
            if data.get(name) is not None:
                setattr(self.instance, name, data[name])
        return data

    def period_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PeriodStatusForm(NextUrlForm):
    """Open or close a period: the page to go back to, and for a period past its due date the
    box "Tôi biết hạn đã qua" (results/period_open_confirm.html)."""

    biet_qua_han = forms.BooleanField(required=False)

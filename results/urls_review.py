"""The office's review pages, under /ky-bao-cao/ (see results/views_review.py for who gets what)."""

from django.urls import path

from . import views_files, views_periods
from . import views_review as views

app_name = "review"
urlpatterns = [
    path("", views_periods.period_list_view, name="period_list"),
    path("tao/", views_periods.period_create_view, name="period_create"),
    path("<int:pk>/", views_periods.period_detail_view, name="period_detail"),
    path("<int:pk>/mo/", views_periods.period_open_view, name="period_open"),
    path("<int:pk>/dong/", views_periods.period_close_view, name="period_close"),
    path("<int:pk>/chua-nop.<str:fmt>/", views_periods.period_missing_export_view, name="period_missing_export"),
    path("bao-cao/<int:pk>/", views.submission_detail_view, name="submission_detail"),
    path("bao-cao/<int:pk>/tra-lai/", views.submission_return_view, name="submission_return"),
    path("bao-cao/<int:pk>/duyet/", views.submission_approve_view, name="submission_approve"),
    path("bao-cao/<int:pk>/mo-lai/", views.submission_reopen_view, name="submission_reopen"),
    # Principals use this one too (their own school's files): it has its own rule, see views_files.
    path("minh-chung/<int:pk>/", views_files.evidence_download_view, name="evidence"),
]

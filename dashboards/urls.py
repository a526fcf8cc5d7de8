from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("toan-quoc/", views.national_view, name="national"),
    path("viec-can-lam/", views.work_view, name="work"),
    path("<int:unit_pk>/", views.unit_view, name="unit"),
    path("<int:unit_pk>/nhiem-vu/", views.tasks_view, name="tasks"),
    path("<int:unit_pk>/kinh-phi/", views.budget_view, name="budget"),
    path("<int:unit_pk>/kiem-tra/", views.checks_view, name="checks"),
    path("<int:unit_pk>/xep-hang.<str:fmt>", views.ranking_export_view, name="ranking_export"),
    path("toan-quoc/xep-hang.<str:fmt>", views.national_ranking_export_view, name="national_ranking_export"),
]

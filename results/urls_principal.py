"""The principal's pages, mounted at /bao-cao/ by portal/urls.py."""

from django.urls import path

from . import views_principal as views

app_name = "reports"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("<int:period_pk>/truong/<int:school_pk>/", views.edit_view, name="edit"),
]

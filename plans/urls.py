from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("<int:pk>/", views.plan_detail_view, name="detail"),
    path("kinh-phi/<int:line_pk>/chi-tieu/", views.spending_record_view, name="spending_record"),
]

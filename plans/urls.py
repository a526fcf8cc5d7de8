from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("<int:pk>/", views.plan_detail_view, name="detail"),
    path("<int:pk>/van-ban/", views.source_document_view, name="source_document"),
    path("can-cu/<int:pk>/lien-ket/", views.parent_document_link_view, name="parent_document_link"),
    path("kinh-phi/<int:line_pk>/chi-tieu/", views.spending_record_view, name="spending_record"),
]

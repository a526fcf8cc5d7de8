"""The office's principal accounts and the principal's first log-in, under /tai-khoan/."""

from django.urls import path

from . import views_accounts as views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list_view, name="list"),
    path("truong/<int:school_pk>/tao/", views.account_create_view, name="create"),
    path("<int:user_pk>/khoa/", views.account_deactivate_view, name="deactivate"),
    path("<int:user_pk>/mo-lai/", views.account_reactivate_view, name="reactivate"),
    path("<int:user_pk>/lien-ket-moi/", views.account_new_link_view, name="new_link"),
    path("phieu/", views.account_sheet_view, name="sheet"),
    path("phieu/tai-ve.<str:fmt>/", views.account_sheet_export_view, name="sheet_export"),
    path("phieu/dong/", views.account_sheet_close_view, name="sheet_close"),
    path("kich-hoat/<int:user_pk>/<str:code>/", views.first_login_view, name="first_login"),
]

"""The only module that sees every app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from organisations.forms import PortalAdminAuthenticationForm, PortalAuthenticationForm

from . import views

admin.site.site_header = _("Cổng theo dõi kế hoạch giáo dục")
admin.site.site_title = _("Quản trị kế hoạch giáo dục")
admin.site.index_title = _("Quản trị dữ liệu kế hoạch")
# The plan page's target table is wide; the nav sidebar would push its milestone columns off screen.
admin.site.enable_nav_sidebar = False
# Both log-in pages say why a right password is refused (deactivated, no role, not for the admin).
admin.site.login_form = PortalAdminAuthenticationForm

urlpatterns = [
    path("", views.home_view, name="home"),
    path("healthz", views.health_view, name="health"),
    path("dang-nhap/", auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm), name="login"),
    # Log-out is a POST (the header's button); then a page that says so, with a way back in.
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="logged_out"), name="logout"),
    path("da-dang-xuat/", TemplateView.as_view(template_name="registration/logged_out.html"), name="logged_out"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    # The same page under the name the admin's log-in form looks for ("Quên mật khẩu?").
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ke-hoach/", include("plans.urls")),
    path("nhiem-vu/", include("assignments.urls")),
    path("bao-cao/", include("results.urls_principal")),
    path("ky-bao-cao/", include("results.urls_review")),
    path("tong-quan/", include("dashboards.urls")),
    path("tai-khoan/", include("organisations.urls_accounts")),
    path("quan-tri/", admin.site.urls),
]
# No MEDIA_URL, not even in the demo: uploaded files are served only by the views that check the
# viewer's scope (plans.views.source_document_view, results.views_files.evidence_download_view).

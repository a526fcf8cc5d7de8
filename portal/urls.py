"""The only module that sees every app."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Cổng theo dõi kế hoạch giáo dục")
admin.site.site_title = _("Quản trị kế hoạch giáo dục")
admin.site.index_title = _("Quản trị dữ liệu kế hoạch")
# The plan page's target table is wide; the nav sidebar would push its milestone columns off screen.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", views.home_view, name="home"),
    path("healthz", views.health_view, name="health"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ke-hoach/", include("plans.urls")),
    path("bao-cao/", include("results.urls_principal")),
    path("ky-bao-cao/", include("results.urls_review")),
    path("quan-tri/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

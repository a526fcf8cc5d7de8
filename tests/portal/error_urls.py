"""A URLconf for the error-page tests: the portal's own, plus a view that fails."""

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [*portal_urlpatterns, path("loi-thu/", broken_view)]

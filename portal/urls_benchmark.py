"""The portal's URLs plus the bare view of `manage.py benchmark_saves` (only its gunicorn
serves them: portal.settings.benchmark_saves)."""

from django.urls import path

from portal.benchmark_saves import BARE_PATH, bare_save_view
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path(BARE_PATH.strip("/") + "/", bare_save_view, name="benchmark-bare-save"), *portal_urlpatterns]

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from organisations.permissions import is_leader, is_office_staff

logger = logging.getLogger(__name__)


def home_view(request: HttpRequest) -> HttpResponse:
    """Each role's starting page: a principal's report form, office staff's work page, a leader's
    unit dashboard (the only module that sees every app decides, so no app imports another's views)."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    if is_office_staff(request.user):
        return redirect("dashboards:work")
    if is_leader(request.user):
        return redirect("dashboards:home")
    return redirect("reports:home")


def health_view(request: HttpRequest) -> HttpResponse:
    """For a load balancer: the app answers and reaches its database. When the database cannot be
    reached the answer is a 503 that says so; the error itself goes to the log only."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Health check: the database cannot be reached", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, only where mail really leaves the server (PASSWORD_RESET_BY_EMAIL).
    Otherwise the page says to ask the office, and a posted address is refused with the same page:
    no link is made, so none can end up in a log."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_EMAIL:
            status = 200 if request.method in ("GET", "HEAD") else 403
            return render(request, "registration/password_reset_unavailable.html", status=status)
        return super().dispatch(request, *args, **kwargs)

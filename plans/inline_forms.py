"""Forms posted from a table cell of another page (a leader's dashboard, the plan page): the view
sends the person back to that page, and a refused form keeps what was typed.

The view calls keep_refused() with the posted values and the reasons, then redirect_back(); the
form's partial calls take_refused() (through its template tag) and shows the values again, once,
with the reasons: nothing typed is lost, and the page needs no other state. Used by
plans.views.spending_record_view and assignments.views.task_progress_view.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect

from portal.forms import redirect_to_next

SESSION_KEY = "refused_forms"
MAX_KEPT = 20  # forms refused and not shown again yet; the oldest go first
MAX_CHARS = 10_000  # per value: a form's own limits are far below this


def redirect_back(request: HttpRequest, *, default: str) -> HttpResponseRedirect:
    """To the posted `next` when it is a page of this site, otherwise to `default`."""
    return redirect_to_next(request, default=default)


def keep_refused(request: HttpRequest, *, key: str, data: dict[str, str], errors: list[str]) -> None:
    """Keep the posted values of the form `key` (NUL characters dropped) and why it was refused."""
    drafts = dict(request.session.get(SESSION_KEY) or {})
    drafts.pop(key, None)
    drafts[key] = {
        "data": {name: str(value)[:MAX_CHARS].replace("\x00", "") for name, value in data.items()},
        "errors": [str(error) for error in errors],
    }
    while len(drafts) > MAX_KEPT:
        drafts.pop(next(iter(drafts)))
    request.session[SESSION_KEY] = drafts


def take_refused(request: HttpRequest | None, *, key: str) -> dict | None:
    """{"data": {field: typed value}, "errors": [reasons]} kept for the form `key`, removed from
    the session; None when there is none."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    drafts = session.get(SESSION_KEY)
    if not drafts or key not in drafts:
        return None
    drafts = dict(drafts)
    draft = drafts.pop(key)
    session[SESSION_KEY] = drafts
    return draft

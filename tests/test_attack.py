"""Every form and every page, posted and requested with hostile input (issue 11): no 500, a message,
nothing invalid stored.

Beside the permission matrix and built on it: the same `world` (imported, built once for this
module), the same walk of the URL configuration and the same expected answers. A case is a URL
and a role that the matrix lets through (200 or 302): its POST for the site's actions, the admin's
add, change, delete, changelist (actions), import and export pages for every registered model,
and a GET with hostile query parameters for every page (as one role that opens it: a page reads
its query the same way for everyone). `test_every_post_url_has_an_attack_case` fails when a URL
that accepts POST has none, so a new form cannot escape.

The fields of a form are read from the page that shows it (html.parser over its <form>s, keyed by
the path they post to; SOURCE_PAGES names the page when it is not the URL itself), with their
current values, falling back to the matrix's minimal post where no page shows the form; a post is
what a browser would send with some fields replaced by generated bad values (Hypothesis):
NUL bytes, lone surrogates (invalid UTF-8, %ED%A0%80, which Django decodes to U+FFFD), numbers no
column holds (10**20, 1e309, NaN, Infinity, 2**63), strings past the field's maxlength and past
20,000 characters, wrong types (text in a number, date or select, a list for a scalar), and ids
the form does not offer (the other district's objects, a missing pk, a negative one, 2**63).

Each post must answer something other than 500 (the client does not re-raise, and an exception
fails the case too), show a message (a form's error list, a queued message, or the Vietnamese
400/403/404 page), and store nothing invalid: a dump of the apps' tables is compared before and
after; a post whose every field is bad changes nothing (except the few actions that take no input
at all, TAKES_NO_INPUT, and the admin's delete confirmations), and no post leaves NUL, U+FFFD, text
past 20,000 characters or a number past 2**31 in a changed row. A hostile query must not be a 500.

Hypothesis runs derandomised (CI sees the same examples every run), without its example database
and without shrinking; a few examples per form, shared by the roles that post it.
"""

from __future__ import annotations

import copy
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, quote_from_bytes, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from results.selectors import period_targets_for_school
from tests import test_permission_matrix as matrix
from tests.test_permission_matrix import world  # noqa: F401  (the module's fixture)

APPS = {"auth", "organisations", "indicators", "plans", "assignments", "results"}
EXAMPLES = settings(
    max_examples=2,  # each case sets its own (build_attacks)
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing post is reported as it was
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The admin's pages that take a POST, by the matrix's page name; "changelist" posts an action.
ADMIN_POST_PAGES = (
    "add",
    "change",
    "delete",
    "changelist",
    "import",
    "export",
    "process_import",
    "password_change",
    "simple_history",  # django-simple-history's "revert to this version" form
)
# Site actions whose POST carries no input that decides anything: a post with every field bad
# still logs out, switches language (to the default) or opens a period. Their change is allowed;
# the rest of the checks (no 500, nothing invalid stored) still hold.
TAKES_NO_INPUT = {
    "logout",
    "admin:logout",
    "set_language",
    "review:period_open",
    "review:period_close",
    "accounts:deactivate",
    "accounts:reactivate",
    "accounts:new_link",
    "accounts:sheet_close",
}
# Answers that are a page with a message of their own (the Vietnamese error pages).
MESSAGE_STATUSES = {400, 403, 404, 405}
MESSAGE_MARKS = (
    'class="errorlist',
    'class="error"',
    'class="errornote"',
    'class="field-error"',
    'class="form-errors"',
    'class="messages"',
    'class="messagelist"',
    'name="post" value="yes"',  # the admin's "are you sure?" page before an action deletes anything
)


# --- the forms on the pages ---------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, select, hidden, checkbox, file, password, email, …
    value: str = ""
    values: list[str] = field(default_factory=list)  # what a select offers
    maxlength: int | None = None
    multiple: bool = False


@dataclass
class Form:
    action: str  # the path it posts to
    method: str
    fields: dict[str, Field] = field(default_factory=dict)
    submit: dict[str, str] = field(default_factory=dict)  # the first named button, as a browser sends it
    from_page: bool = True  # False: no page shows this form (a changelist without actions), made up here


class FormParser(HTMLParser):
    """The <form>s of a page, their fields with current values, and the query names of its links."""

    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.forms: list[Form] = []
        self.link_params: set[str] = set()
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith("?"):
            self.link_params |= {k for k, _ in parse_qsl(a["href"][1:], keep_blank_values=True)}
        if tag == "form":
            action = urlsplit(a.get("action") or self.path).path or self.path
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.values.append(value)
            if "selected" in a or (not self._select.value and not self._select.multiple):
                self._select.value = value
        if form is None or not a.get("name"):
            return
        name = a["name"]
        maxlength = int(a["maxlength"]) if (a.get("maxlength") or "").isdigit() else None
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image"):
                form.submit.setdefault(name, a.get("value", ""))
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                form.fields.setdefault(name, Field(name, kind))
                return
            form.fields[name] = Field(name, kind, a.get("value", ""), maxlength=maxlength)
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            form.submit.setdefault(name, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = form.fields[name] = Field(name, "textarea", maxlength=maxlength)
        elif tag == "select":
            self._select = form.fields[name] = Field(name, "select", multiple="multiple" in a)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(response, path: str) -> FormParser:
    parser = FormParser(path)
    if not response.streaming and "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode(errors="replace"))
    return parser


# --- the cases --------------------------------------------------------------------------------


MIN_EXAMPLES_DEFAULT = 2


@dataclass(frozen=True)
class Attack:
    name: str  # a URL name, as in the matrix
    role: str
    method: str  # POST: the form's fields; GET: the page's query parameters
    examples: int = MIN_EXAMPLES_DEFAULT

    def __str__(self) -> str:
        return f"{self.name}-{self.method}-{self.role}"


def _lets_through(answer) -> bool:
    return answer in (200, 302)


def post_urls() -> list[str]:
    """Every URL name that accepts a POST: the matrix's POST rows and the admin's model pages that
    post (add, change, delete, the changelist's actions, import and export)."""
    names = []
    for name in matrix.url_names():
        table = matrix.expected_for(name) or {}
        model, page = matrix.admin_model_of(name)
        if "POST" in table or (model is not None and page in ADMIN_POST_PAGES):
            names.append(name)
    # The site's pages that show their form on GET and take it back on POST.
    names += [n for n in GET_AND_POST if n in matrix.url_names()]
    return sorted(set(names))


# Pages whose GET row in the matrix is also who may POST their form (a GET page with a form).
GET_AND_POST = {
    "accounts:list",  # the ticked schools get accounts
    "login",
    "password_change",
    "password_reset",
    "admin_password_reset",
    "password_reset_confirm",
    "accounts:create",
    "accounts:first_login",
    "admin:login",
    "admin:password_change",
    "review:period_create",
    "reports:edit",
}


# Examples per form, shared by the roles that post it (at least MIN_EXAMPLES each), and per page
# for the query attack, which runs as one role: a page reads its query the same way for everyone.
POST_EXAMPLES_PER_FORM, MIN_EXAMPLES, QUERY_EXAMPLES = 8, 2, 3
QUERY_ROLE_ORDER = ["district_officer", "superuser", "principal_a", "anonymous", *matrix.ROLES]


def build_attacks() -> list[Attack]:
    attacks = []
    for name in post_urls():
        table = matrix.expected_for(name) or {}
        answers = table.get("POST") or table.get("GET") or {}
        roles = [role for role, answer in answers.items() if _lets_through(answer)]
        examples = max(MIN_EXAMPLES, POST_EXAMPLES_PER_FORM // max(len(roles), 1))
        attacks += [Attack(name, role, "POST", examples) for role in roles]
    for name in matrix.url_names():
        answers = (matrix.expected_for(name) or {}).get("GET") or {}
        role = next((r for r in QUERY_ROLE_ORDER if answers.get(r) == 200), None)
        if role is not None:
            attacks.append(Attack(name, role, "GET", QUERY_EXAMPLES))
    return sorted(set(attacks), key=str)


# --- what a browser would send ---------------------------------------------------------------


# The page that shows a site action's form, when it is not the action's own URL.
SOURCE_PAGES = {
    "review:period_open": "review:period_detail",
    "review:period_close": "review:period_detail",
    "review:submission_return": "review:submission_detail",
    "review:submission_approve": "review:submission_detail",
    "review:submission_reopen": "review:submission_detail",
    "tasks:progress": "dashboards:tasks",
    "plans:spending_record": "dashboards:budget",
    "plans:parent_document_link": "plans:detail",
    "accounts:deactivate": "accounts:list",
    "accounts:reactivate": "accounts:list",
    "accounts:new_link": "accounts:list",
    "accounts:sheet_close": "accounts:sheet",
}


class Pages:
    """The pages a role opens, read once: their forms by the path they post to, their links'
    query names. Lazy: a case reads only the pages it needs."""

    def __init__(self, world, blocker):  # noqa: F811
        self.world, self.blocker = world, blocker
        self.read: dict[tuple[str, str], FormParser] = {}

    def page(self, role: str, name: str) -> FormParser:
        url, query = matrix.url_for(name, self.world, elsewhere=False)
        if (role, url) not in self.read:
            with self.blocker.unblock(), transaction.atomic():
                response = _client(self.world, role).get(url, query)
                if response.streaming:  # a download: no form in it
                    b"".join(response.streaming_content)
                self.read[(role, url)] = parse_page(response, url)
                transaction.set_rollback(True)
        return self.read[(role, url)]

    def form(self, role: str, name: str, url: str) -> Form | None:
        source = SOURCE_PAGES.get(name, name)
        answers = (matrix.expected_for(source) or {}).get("GET") or {}
        if answers.get(role) != 200:
            return None
        forms = [f for f in self.page(role, source).forms if f.method == "post" and f.action == url]
        return forms[0] if forms else None


@pytest.fixture(scope="module")
def pages(world, django_db_blocker):  # noqa: F811
    return Pages(world, django_db_blocker)


def _client(world, role: str) -> Client:  # noqa: F811
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def form_for(attack: Attack, world, pages, url: str) -> Form:  # noqa: F811
    """The form a browser shows for this URL, or one built from the matrix's minimal post."""
    found = pages.form(attack.role, attack.name, url)
    form = copy.deepcopy(found) if found else Form(action=url, method="post", from_page=False)
    form.fields.pop("csrfmiddlewaretoken", None)  # the test client does not check it
    data = matrix.post_data(attack.name, world, elsewhere=False)
    for name, value in data.items():
        form.fields.setdefault(name, Field(name, "hidden", str(value)))
    # What the views read besides their forms (a next URL, the changelist's action and its rows).
    if attack.name in SOURCE_PAGES:
        form.fields.setdefault("next", Field("next", "hidden", "/"))
    model, page = matrix.admin_model_of(attack.name)
    if page == "changelist":
        form.from_page = form.from_page and "action" in form.fields  # no actions: nothing to post
        form.fields.setdefault("action", Field("action", "select", "delete_selected", ["delete_selected"]))
        pk = str(world.admin_objects[model].pk)
        form.fields.setdefault("_selected_action", Field("_selected_action", "select", pk, [pk], multiple=True))
    if page == "delete":
        form.fields.setdefault("post", Field("post", "hidden", "yes"))
    if attack.name == "review:submission_return" and not found:  # the comment box beside each value
        for target in period_targets_for_school(world.home.period, world.home.school):
            form.fields.setdefault(f"value-comment-{target.pk}", Field(f"value-comment-{target.pk}", "textarea"))
    if not form.fields:  # a page without its form (a first-login link no longer valid): post something
        form.fields["x"] = Field("x", "hidden")
    return form


def attack_url(attack: Attack, world) -> tuple[str, dict]:  # noqa: F811
    _, page = matrix.admin_model_of(attack.name)
    if page == "process_import":
        return reverse(attack.name), {}
    return matrix.url_for(attack.name, world, elsewhere=False)


# --- the bad values ----------------------------------------------------------------------------

SURROGATES = [b"\xed\xa0\x80", b"ab\xed\xb3\xbfcd", b"\xff\xfe"]  # lone surrogates and bytes no UTF-8 has
HUGE_NUMBERS = [
    str(10**20),
    str(-(10**20)),
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    str(2**63),
    str(2**31),
    "9" * 40 + ",5",
]
WRONG_TYPES = ["abc", "1e5", "2025-13-45", "10000-01-01", "31/02/2025", "0x1F", "[]", "{}", "' OR 1=1 --"]


def _too_long(f: Field) -> list[str]:
    limit = f.maxlength or 2000
    return ["x" * (limit + 1), "ư" * 20_001]


def _with_nul(text: str) -> str:
    return f"{text}\x00{text}"


def bad_values(f: Field, ids: list[str]) -> st.SearchStrategy:
    """Values this field should refuse: raw bytes are posted as they are (invalid UTF-8)."""
    nul = st.text(max_size=4).map(_with_nul)
    # A list for a scalar: QueryDict.get() reads the last value, so the last one is bad.
    common = [nul, st.sampled_from(SURROGATES), st.just(["1", "x\x00"])]
    if f.kind in ("number", "date", "datetime-local", "time"):
        return st.one_of(*common, st.sampled_from(HUGE_NUMBERS + WRONG_TYPES))
    if f.kind in ("select", "radio"):
        offered = set(f.values)
        unoffered = [v for v in ids if v not in offered]
        return st.one_of(*common, st.sampled_from(unoffered + HUGE_NUMBERS + WRONG_TYPES))
    if f.kind in ("hidden",):
        return st.one_of(*common, st.sampled_from(HUGE_NUMBERS + WRONG_TYPES + ids + _too_long(f)))
    if f.kind in ("checkbox",):
        return st.one_of(*common)
    return st.one_of(*common, st.sampled_from(_too_long(f)))


def hostile_ids(world) -> list[str]:  # noqa: F811
    """Ids no form of the district's should accept: the other district's objects, a missing one,
    a negative one, one past bigint."""
    place = world.elsewhere
    ids = {place.plan.pk, place.period.pk, place.school.pk, place.submission.pk, place.plan.issuer_id}
    ids |= set(place.plan.targets.values_list("pk", flat=True))
    return [str(i) for i in sorted(ids)] + ["999999999", "-1", str(2**63), "1.5"]


def encode(pairs: list[tuple[str, str | bytes]]) -> bytes:
    """A urlencoded body; bytes values go as they are, so invalid UTF-8 reaches Django."""
    parts = []
    for name, value in pairs:
        raw = value if isinstance(value, bytes) else value.encode()
        parts.append(f"{quote(name)}={quote_from_bytes(raw)}")
    return "&".join(parts).encode()


# --- what is stored ----------------------------------------------------------------------------


def _models():
    """The apps' own tables; their history tables change only with them."""
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in APPS and m._meta.managed and not m.__name__.startswith("Historical")
    ]


def snapshot() -> dict[str, dict]:
    """Every row of the apps' tables, by table and pk."""
    tables = {}
    for model in _models():
        rows = model._default_manager.order_by("pk").values_list()
        tables[model._meta.db_table] = {row[0]: row for row in rows}
    return tables


def changed_rows(before: dict, after: dict) -> list[tuple]:
    changed = []
    for table, rows in after.items():
        old = before.get(table, {})
        changed += [(table, row) for pk, row in rows.items() if old.get(pk) != row]
        changed += [(table, "deleted", pk) for pk in old.keys() - rows.keys()]
    return changed


def invalid_in(rows: list[tuple]) -> list[tuple]:
    """Changed rows holding what no valid post stores: NUL, U+FFFD (a decoded surrogate), text past
    20,000 characters, a number past what an integer column holds."""
    return [row for row in rows if row[1] != "deleted" and any(_invalid(value) for value in row[1][1:])]


def _invalid(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value or "\ufffd" in value or len(value) > 20_000
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 2**31


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_test_database_is_set_up_before_the_world():
    """As in the matrix: pytest-django creates the test database only for a django_db test."""
    from organisations.models import OrgUnit

    assert OrgUnit.objects.count() >= 0


def test_every_post_url_has_an_attack_case():
    """A URL that accepts POST (a matrix row with POST, an admin model's form page, a page showing
    its own form) must be attacked as some role; one that no role may post is named here."""
    attacked = {a.name for a in build_attacks() if a.method == "POST"}
    nobody_posts = {"admin:view_on_site"}
    missing = sorted(set(post_urls()) - attacked - NOBODY_POSTS - nobody_posts)
    assert not missing, f"No role attacks these POST URLs (add the role to the matrix, or NOBODY_POSTS): {missing}"


def test_every_page_showing_a_post_form_is_attacked(world, pages, django_db_blocker):  # noqa: F811
    """A page the matrix lists for GET only, whose own form posts back to it (a new form page),
    must be in GET_AND_POST (or have a POST row): its form is then attacked."""
    attacked = set(post_urls())
    missed = []
    for attack in build_attacks():
        if attack.method != "GET" or attack.name in attacked:
            continue
        with django_db_blocker.unblock():
            url, _ = matrix.url_for(attack.name, world, elsewhere=False)
        if any(f.method == "post" and f.action == url for f in pages.page(attack.role, attack.name).forms):
            missed.append(attack.name)
    assert not missed, f"These pages post their own form: add them to GET_AND_POST: {missed}"


# Admin pages no role gets to (read-only models: their add and delete pages are 403 for everyone).
NOBODY_POSTS = {
    name
    for name in matrix.url_names()
    if (table := matrix.expected_for(name))
    and not any(_lets_through(a) for answers in table.values() for a in answers.values())
}


def test_the_parser_reads_a_form():
    parser = FormParser("/p/")
    parser.feed(
        '<form method="post" action="/x/?a=1"><input name="a" value="1" maxlength="5">'
        '<select name="s"><option value="1">A</option><option value="2" selected>B</option></select>'
        '<textarea name="t">hi</textarea><input type="checkbox" name="c"><button name="go" value="1">Go</button></form>'
        '<a href="?page=2&sort=name">2</a>'
    )
    (form,) = parser.forms
    assert form.action == "/x/" and form.submit == {"go": "1"}
    assert (form.fields["a"].value, form.fields["a"].maxlength) == ("1", 5)
    assert (form.fields["s"].value, form.fields["s"].values) == ("2", ["1", "2"])
    assert form.fields["t"].value == "hi" and form.fields["c"].value == ""
    assert parser.link_params == {"page", "sort"}


def test_the_attack_covers_every_role_that_may_post():
    attacks = build_attacks()
    assert {a.role for a in attacks if a.method == "POST"} == set(matrix.ROLES)
    assert any(a.name == "admin:plans_plan_change" and a.role == "district_officer" for a in attacks)


# Forms that live on another page than the URL they post to, or that a browser fills in many
# fields of: read from the page, so the attack posts what the page offers, not a guess. (The
# world's report is a returned one: the review pages show no return/approve/reopen form for it,
# and those are attacked with the matrix's minimal post.)
READ_FROM_PAGES = [
    ("tasks:progress", "district_officer", {"status", "text", "noted_on", "next"}),
    ("plans:spending_record", "district_officer", {"year", "amount", "note", "next"}),
    ("reports:edit", "principal_a", {"version", "t{ratio}-numerator", "t{ratio}-denominator", "t{ratio}-note"}),
    ("review:period_create", "district_officer", {"plan", "kind", "label", "year", "due_on"}),
    ("admin:plans_plan_change", "district_officer", {"number", "title", "targets-TOTAL_FORMS"}),
]


@pytest.mark.parametrize(("name", "role", "fields"), READ_FROM_PAGES)
def test_the_forms_are_read_from_the_pages(world, pages, django_db_blocker, name, role, fields):  # noqa: F811
    with django_db_blocker.unblock():
        url, _ = attack_url(Attack(name, role, "POST"), world)
        form = pages.form(role, name, url)
        # The principal's inputs are named by target pk (not 1 on PostgreSQL after other tests).
        ratio = world.home.plan.targets.get(indicator__unit="ratio").pk
    assert form is not None, f"no form posting to {url} on the page of {name} as {role}"
    assert {f.format(ratio=ratio) for f in fields} <= set(form.fields), sorted(form.fields)


def _post(client, url: str, body: bytes):
    """(response, None), or (None, the exception) when the view raised one past the client."""
    try:
        return client.post(url, body, content_type="application/x-www-form-urlencoded"), None
    except Exception as exc:
        return None, exc


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else f"{text[:40]}…({len(value)} long)"


def _raised(response) -> str:
    """The exception behind a 500 (the client keeps it when it does not re-raise)."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    frames = traceback.extract_tb(exc_info[2])[-12:]
    where = " ← ".join(
        f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames[::-1]
    )
    return f"{exc_info[1]!r:.300} at {where}"


def _has_message(response) -> bool:
    if response.status_code in MESSAGE_STATUSES:
        return True
    if response.status_code in (301, 302):
        return bool(list(get_messages(response.wsgi_request)))
    if response.streaming or "attachment" in response.get("Content-Disposition", ""):
        return True  # an export: the checkboxes of its columns take any value, nothing is stored
    content = response.content.decode(errors="replace")
    return any(mark in content for mark in MESSAGE_MARKS)


@pytest.mark.parametrize("attack", [a for a in build_attacks() if a.method == "POST"], ids=str)
def test_hostile_post(world, pages, django_db_blocker, attack):  # noqa: F811
    with django_db_blocker.unblock():
        url, _ = attack_url(attack, world)
        form = form_for(attack, world, pages, url)
        ids = hostile_ids(world)

    @settings(EXAMPLES, max_examples=attack.examples)
    @given(data=st.data())
    def attack_once(data):
        names = sorted(form.fields)
        attacked = data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True), label="attacked")
        pairs: list[tuple[str, str | bytes]] = list(form.submit.items())
        for name in names:
            f = form.fields[name]
            if name in attacked:
                value = data.draw(bad_values(f, ids), label=name)
                pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
            elif f.multiple or (f.kind not in ("file",) and (f.kind not in ("checkbox", "radio") or f.value)):
                pairs.append((name, f.value))
        every_field_bad = set(attacked) == set(names)
        with django_db_blocker.unblock(), transaction.atomic():
            client = _client(world, attack.role)
            before = snapshot()
            response, exc = _post(client, url, encode(pairs))
            after = snapshot()
            transaction.set_rollback(True)
        sent = {name: _short(value) for name, value in pairs if name in attacked}
        assert exc is None, f"{attack}: {exc!r} for {sent!r}"
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code != 500, f"{attack}: 500 for {sent!r}: {_raised(response)}"
        changes = changed_rows(before, after)
        bad = invalid_in(changes)
        assert not bad, f"{attack}: stored {bad!r} from {sent!r}"
        no_input = attack.name in TAKES_NO_INPUT or matrix.admin_model_of(attack.name)[1] == "delete"
        if changes and every_field_bad and not no_input:
            pytest.fail(f"{attack}: every field was bad ({sent!r}) and yet it stored {changes!r}")
        if not changes and not no_input and form.from_page:
            assert _has_message(response), f"{attack}: {response.status_code} with no message for {sent!r}"

    attack_once()


# Query parameters every list and search page might read, besides those its links and forms name.
QUERY_NAMES = ["q", "sort", "page", "o", "p", "e", "nam", "ke_hoach", "de_xuat", "tat-ca", "all", "per_page"]


@pytest.mark.parametrize("attack", [a for a in build_attacks() if a.method == "GET"], ids=str)
def test_hostile_query(world, pages, django_db_blocker, attack):  # noqa: F811
    with django_db_blocker.unblock():
        url, query = matrix.url_for(attack.name, world, elsewhere=False)
        ids = hostile_ids(world)
    page = pages.page(attack.role, attack.name)
    searches = {name for form in page.forms if form.method == "get" for name in form.fields}
    names = sorted(set(QUERY_NAMES) | page.link_params | searches | set(query))
    text = Field("q", "hidden")

    @settings(EXAMPLES, max_examples=attack.examples)
    @given(data=st.data())
    def request_once(data):
        attacked = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True))
        pairs = [(k, v) for k, v in query.items() if k not in attacked]
        for name in attacked:
            value = data.draw(bad_values(text, ids), label=name)
            pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
        full = f"{url}?{encode(pairs).decode()}"
        with django_db_blocker.unblock(), transaction.atomic():
            client = _client(world, attack.role)
            try:
                response, exc = client.get(full), None
            except Exception as error:
                response, exc = None, error
            transaction.set_rollback(True)
        assert exc is None, f"{full}: {exc!r}"
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code != 500, f"GET {full[:300]} as {attack.role}: 500: {_raised(response)}"

    request_once()

"""The pieces of `manage.py benchmark_saves` at a tiny size, without wrk or gunicorn: the build,
the principals and their sessions, the request file, a few of its requests posted through the
Django test client exactly as wrk sends them, and the check that every acknowledged save is
stored (it must catch one that is not)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings

from portal import benchmark as bench
from portal import benchmark_saves as saves
from results.models import ResultValue, Submission

TINY = bench.Sizes(schools=20, communes=4, provinces=2, indicators=6, answers=3, years=1)


def post(request: saves.SaveRequest):
    """The request as wrk posts it: the cookies and the urlencoded body of the line, CSRF checked."""
    client = Client(enforce_csrf_checks=True)
    for pair in request.cookie.split("; "):
        name, value = pair.split("=", 1)
        client.cookies[name] = value
    return client.post(request.path, request.body, content_type="application/x-www-form-urlencoded")


@pytest.fixture
def tiny(db):
    bench.Builder(TINY, log=lambda text: None).build()
    return saves.prepare(principals=5, log=lambda text: None)


def test_the_request_file_has_one_line_per_principal(tiny, tmp_path):
    requests = saves.build_requests(tiny, run="t1", k=1)
    assert saves.write_requests(requests, tmp_path / "requests.tsv") == 5
    lines = (tmp_path / "requests.tsv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and all(len(line.split("\t")) == 5 for line in lines)
    assert len({r.school_id for r in requests}) == 5  # one school per principal
    assert all(r.targets >= 1 and "csrfmiddlewaretoken" in r.body for r in requests)


def test_posted_saves_are_stored_and_a_missing_one_is_caught(tiny):
    requests = saves.build_requests(tiny, run="t2", k=1)
    locations = []
    for request in requests[:3]:
        response = post(request)
        assert response.status_code == 302, response.content.decode()[:3000]
        locations.append(response["Location"])
    acked = saves.acknowledged(locations, bare=False)
    assert acked == {r.school_id for r in requests[:3]}
    assert saves.check_portal(requests, acked) == []
    assert Submission.objects.filter(period__year=saves.SAVE_YEAR).count() == 3

    # One value of the second school did not reach the database: that save is reported lost.
    lost = requests[1].school_id
    ResultValue.objects.filter(unit_id=lost, year=saves.SAVE_YEAR).order_by("pk").first().delete()
    assert saves.check_portal(requests, acked) == [lost]


def test_the_next_run_posts_the_current_version(tiny):
    first = saves.build_requests(tiny, run="t3", k=1)
    assert post(first[0]).status_code == 302
    again = saves.build_requests(tiny, run="t4", k=2)
    assert post(again[0]).status_code == 302  # not refused as stale
    assert saves.check_portal(again, saves.acknowledged([again[0].path], bare=False)) == []


@override_settings(ROOT_URLCONF="portal.urls_benchmark")
def test_the_bare_view_writes_one_row_and_a_missing_one_is_caught(tiny):
    requests = saves.bare_requests(saves.build_requests(tiny, run="t5", k=1))
    locations = [post(r)["Location"] for r in requests[:2]]
    acked = saves.acknowledged(locations, bare=True)
    assert acked == {r.school_id for r in requests[:2]}
    assert saves.check_bare(requests, acked) == []
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {saves.BARE_TABLE} WHERE school_id = %s", [requests[0].school_id])  # noqa: S608
    assert saves.check_bare(requests, acked) == [requests[0].school_id]


@pytest.mark.django_db
def test_the_command_says_how_to_install_wrk_when_it_is_missing(monkeypatch):
    monkeypatch.setattr(saves, "wrk_path", lambda: None)
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match="apt-get install -y wrk"):
        call_command("benchmark_saves", stdout=io.StringIO())


def test_cleanup_leaves_the_national_set_as_the_dashboards_benchmark_expects(tiny):
    requests = saves.build_requests(tiny, run="t6", k=1)
    assert post(requests[0]).status_code == 302
    assert bench.data_state(TINY) == "other"  # the save year's periods are not part of the set
    saves.cleanup()
    assert bench.data_state(TINY) == "complete"
    assert not ResultValue.objects.filter(year=saves.SAVE_YEAR).exists()
    assert not ResultValue.history.filter(year=saves.SAVE_YEAR).exists()

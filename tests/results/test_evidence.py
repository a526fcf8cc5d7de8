import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from results.models import ResultValue


@pytest.fixture
def value_with_evidence(submission_a, fill_values):
    fill_values(submission_a)
    value = ResultValue.objects.filter(submission=submission_a).first()
    value.evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    value.save()
    return value


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,expected",
    [
        ("principal_a", 200),
        ("district_officer", 200),
        ("commune_officer", 200),
        ("district_leader", 200),
        ("superuser", 200),
        ("principal_b", 404),
        ("other_district_officer", 404),
    ],
)
def test_evidence_is_served_only_to_people_who_may_see_the_school(request, client, value_with_evidence, who, expected):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("review:evidence", args=[value_with_evidence.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 minh chung"
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_for_evidence(client, value_with_evidence):
    response = client.get(reverse("review:evidence", args=[value_with_evidence.pk]))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


@pytest.mark.django_db
def test_a_value_without_a_file_has_no_evidence_to_download(client, principal_a, submission_a, fill_values):
    fill_values(submission_a)
    value = ResultValue.objects.filter(submission=submission_a).first()
    client.force_login(principal_a)
    assert client.get(reverse("review:evidence", args=[value.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_replaced_evidence_file_is_deleted_not_left_unreachable(tmp_path, settings, submission_a, fill_values):
    from results.services import submission_save_values

    settings.MEDIA_ROOT = tmp_path
    fill_values(submission_a)
    value = ResultValue.objects.filter(submission=submission_a).first()
    first = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 lan 1", content_type="application/pdf")
    submission_a = submission_save_values(
        submission=submission_a, values={value.target_id: {"evidence": first}}, by=None, expected_version=None
    )
    old = ResultValue.objects.get(pk=value.pk).evidence
    old_path = tmp_path / old.name
    assert old_path.exists()
    second = SimpleUploadedFile("bien-ban-moi.pdf", b"%PDF-1.4 lan 2", content_type="application/pdf")
    submission_save_values(
        submission=submission_a, values={value.target_id: {"evidence": second}}, by=None, expected_version=None
    )
    new = ResultValue.objects.get(pk=value.pk).evidence
    assert new.name != old.name and (tmp_path / new.name).exists()
    assert not old_path.exists()

"""Uploaded files go through the storage API only, so a folder or an S3 bucket serves them alike.

The settings choose the backend from the environment (portal/settings/storage.py); the file paths
of the portal (a plan's source document, a school's evidence: download, replace, backup and
restore) run here against an in-memory storage that has no local path at all: any code that
reached for `.path`, MEDIA_ROOT or the disk would fail these tests.
"""

from __future__ import annotations

import io
import os
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from storages.backends.s3 import S3Storage

from plans.models import Plan
from portal.settings.storage import default_storage_from_env
from results.models import ReportingPeriod, ResultValue, Submission
from results.services import submission_get_or_create, submission_save_values
from tests.portal.test_settings import run_manage
from tests.results.conftest import make_period, store_valid_values

S3_ENV = {
    "STORAGE_BACKEND": "s3",
    "AWS_STORAGE_BUCKET_NAME": "kehoach-tailieu",
    "AWS_S3_ENDPOINT_URL": "https://minio.phonggd.example.gov.vn",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_ACCESS_KEY_ID": "portal",
    "AWS_SECRET_ACCESS_KEY": "khong-phai-mat-khau-that",
}


# --- the settings --------------------------------------------------------------------------------


def test_without_a_storage_setting_files_go_to_the_media_folder():
    assert default_storage_from_env({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert default_storage_from_env({"STORAGE_BACKEND": "local", "AWS_STORAGE_BUCKET_NAME": "x"})["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )


def test_storage_backend_s3_gives_a_private_bucket_that_never_overwrites():
    storage = default_storage_from_env(S3_ENV)
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "kehoach-tailieu",
            "endpoint_url": "https://minio.phonggd.example.gov.vn",
            "region_name": "us-east-1",
            "access_key": "portal",
            "secret_key": "khong-phai-mat-khau-that",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    # The options are ones django-storages knows (it refuses others); no connection is made here.
    s3 = S3Storage(**storage["OPTIONS"])
    assert (s3.bucket_name, s3.endpoint_url, s3.default_acl, s3.file_overwrite) == (
        "kehoach-tailieu",
        "https://minio.phonggd.example.gov.vn",
        "private",
        False,
    )


def test_a_bucket_name_alone_chooses_s3():
    storage = default_storage_from_env({"AWS_STORAGE_BUCKET_NAME": "kehoach"})
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "kehoach"
    assert "endpoint_url" not in storage["OPTIONS"]  # Amazon's own endpoint


@pytest.mark.parametrize("env", [{"STORAGE_BACKEND": "s3"}, {"STORAGE_BACKEND": "ftp"}])
def test_an_incomplete_or_unknown_backend_is_refused(env):
    with pytest.raises(ValueError, match="STORAGE_BACKEND"):
        default_storage_from_env(env)


def test_the_settings_read_the_backend_from_the_environment():
    show = "from django.conf import settings; print(settings.STORAGES['default'])"
    result = run_manage("shell", "-c", show, env_overrides={"DEBUG": "true", **S3_ENV})
    assert result.returncode == 0, result.stderr
    assert "storages.backends.s3.S3Storage" in result.stdout and "kehoach-tailieu" in result.stdout
    refused = run_manage("check", env_overrides={"DEBUG": "true", "STORAGE_BACKEND": "s3"})
    assert refused.returncode != 0 and "needs AWS_STORAGE_BUCKET_NAME" in refused.stderr


# --- the code, against a storage without local paths ----------------------------------------------


class NoLocalPathStorage(InMemoryStorage):
    """InMemoryStorage answers .path() with a made-up folder (and uses it inside); a bucket has none."""

    def _relative_path(self, name):
        return os.path.relpath(InMemoryStorage.path(self, name), self.location)

    def path(self, name):
        raise AssertionError(f"{name}: files are read through storage.open(), never a local path")


def use_memory_storage(settings) -> None:
    """A new, empty in-memory default storage (each assignment resets default_storage)."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.NoLocalPathStorage"}}


@pytest.fixture
def memory_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not-used"  # nothing may land here
    use_memory_storage(settings)
    yield default_storage
    assert not (tmp_path / "not-used").exists()


def test_the_memory_storage_refuses_local_paths(memory_storage):
    name = memory_storage.save("a.txt", ContentFile(b"x"))
    assert isinstance(memory_storage._wrapped, NoLocalPathStorage)
    with pytest.raises(AssertionError, match="never a local path"):
        memory_storage.path(name)


@pytest.fixture
def evidence_value(memory_storage, plan, school_a):
    period = make_period(plan, year=2025, status=ReportingPeriod.Status.OPEN)
    submission = store_valid_values(submission_get_or_create(period=period, school=school_a))
    value = ResultValue.objects.filter(submission=submission).first()
    value.evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    value.save()
    return value


@pytest.mark.django_db
def test_the_source_document_streams_from_the_storage(client, memory_storage, plan, principal_a):
    plan.source_document = SimpleUploadedFile("ke-hoach-12.pdf", b"%PDF-1.4 van ban goc")
    plan.save()
    assert memory_storage.exists(plan.source_document.name)
    client.force_login(principal_a)
    response = client.get(reverse("plans:source_document", args=[plan.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 van ban goc"
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_evidence_streams_from_the_storage(client, evidence_value, district_officer):
    client.force_login(district_officer)
    response = client.get(reverse("review:evidence", args=[evidence_value.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minh chung"
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_file_missing_from_the_storage_is_404_not_500(client, evidence_value, district_officer):
    default_storage.delete(evidence_value.evidence.name)
    client.force_login(district_officer)
    assert client.get(reverse("review:evidence", args=[evidence_value.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_replaced_evidence_file_is_deleted_from_the_storage(evidence_value):
    submission = Submission.objects.get(pk=evidence_value.submission_id)
    old = evidence_value.evidence.name
    new_file = SimpleUploadedFile("bien-ban-moi.pdf", b"%PDF-1.4 lan 2", content_type="application/pdf")
    submission_save_values(
        submission=submission, values={evidence_value.target_id: {"evidence": new_file}}, by=None, expected_version=None
    )
    new = ResultValue.objects.get(pk=evidence_value.pk).evidence.name
    assert new != old and default_storage.exists(new)
    assert not default_storage.exists(old)


@pytest.mark.django_db(transaction=True)
def test_a_backup_takes_the_files_from_the_storage_and_restores_them_into_it(settings, tmp_path, evidence_value):
    plan = Plan.objects.get()
    plan.source_document.save("ke-hoach.txt", ContentFile("Văn bản gốc".encode()))
    names = {plan.source_document.name, evidence_value.evidence.name}
    call_command("portal_backup", str(tmp_path / "saoluu"), stdout=io.StringIO())
    with tarfile.open(tmp_path / "saoluu" / "tep.tar.gz") as archive:
        assert set(archive.getnames()) == names

    call_command("flush", interactive=False, verbosity=0)
    use_memory_storage(settings)  # a new, empty storage: the restore must fill it
    assert not any(default_storage.exists(name) for name in names)
    call_command("portal_backup", "--restore", str(tmp_path / "saoluu"), stdout=io.StringIO())
    restored = Plan.objects.get()
    with restored.source_document.open("rb") as document:
        assert document.read().decode() == "Văn bản gốc"
    with ResultValue.objects.exclude(evidence="").get().evidence.open("rb") as evidence:
        assert evidence.read() == b"%PDF-1.4 minh chung"


@pytest.mark.django_db(transaction=True)
def test_a_restore_skips_names_that_climb_out_of_the_storage(tmp_path, memory_storage, plan):
    folder = tmp_path / "saoluu"
    call_command("portal_backup", str(folder), stdout=io.StringIO())
    with tarfile.open(folder / "tep.tar.gz", "w:gz") as archive:
        for name, data in [("../ngoai.txt", b"x"), ("/etc/ngoai.txt", b"y"), ("./plans/documents/a.txt", b"z")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    call_command("flush", interactive=False, verbosity=0)
    call_command("portal_backup", "--restore", str(folder), stdout=io.StringIO())
    assert memory_storage.listdir("") == (["plans"], [])
    assert memory_storage.open("plans/documents/a.txt").read() == b"z"


@pytest.mark.django_db
def test_the_admin_links_evidence_to_the_scoped_download_never_to_media_url(
    client, settings, evidence_value, district_officer
):
    client.force_login(district_officer)
    page = client.get(reverse("admin:results_resultvalue_change", args=[evidence_value.pk])).content.decode()
    assert f'href="{reverse("review:evidence", args=[evidence_value.pk])}"' in page
    assert settings.MEDIA_URL + "results/" not in page
    assert client.get("/" + settings.MEDIA_URL + evidence_value.evidence.name).status_code == 404  # not served

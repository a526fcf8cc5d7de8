"""Where uploaded files (source documents, evidence) live, chosen from the environment.

A function of the environment, so tests can call it with a made-up one instead of reloading the
settings. The code reads and writes these files only through the storage API (`.open()`,
`.delete()`, `storage.exists()`), never through a local path, so either backend serves them
(tests/portal/test_storage.py runs the file tests against an in-memory storage).
"""

from collections.abc import Mapping


def default_storage_from_env(env: Mapping[str, str]) -> dict:
    """STORAGES["default"]: a folder (MEDIA_ROOT) unless STORAGE_BACKEND=s3 or a bucket is named.
    Raises ValueError for a backend it does not know or an S3 backend without its bucket."""
    backend = env.get("STORAGE_BACKEND", "").strip().lower()
    bucket = env.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if backend not in ("", "local", "s3"):
        raise ValueError(f"STORAGE_BACKEND must be 'local' or 's3', not {backend!r}")
    if backend == "local" or (backend == "" and not bucket):
        # No location option: FileSystemStorage follows MEDIA_ROOT, also when a test changes it.
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if not bucket:
        raise ValueError("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME")
    options = {
        "bucket_name": bucket,
        # Private objects, reached only through the portal's scoped views (which stream them);
        # a signed URL is never handed out, but keep signing on should one ever be.
        "default_acl": "private",
        "querystring_auth": True,
        # Two uploads of "ke-hoach.pdf" must not replace each other.
        "file_overwrite": False,
    }
    for option, variable in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),  # an office's S3-compatible server, e.g. MinIO
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("location", "AWS_LOCATION"),  # a folder inside the bucket
    ):
        if env.get(variable, "").strip():
            options[option] = env[variable].strip()
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}

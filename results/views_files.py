"""Evidence files are served through a permission check, never from a public media URL:
a school's evidence is visible to that school's principal and to the offices and leaders above it.
The file is streamed from the storage (`.open()`), a local folder or an S3 bucket alike."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import ResultValue
from .permissions import submission_list_visible_to


@login_required
def evidence_download_view(request: HttpRequest, pk: int) -> FileResponse:
    value = get_object_or_404(
        ResultValue.objects.filter(submission__in=submission_list_visible_to(user=request.user)), pk=pk
    )
    if not value.evidence:
        raise Http404
    try:
        handle = value.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=PurePosixPath(value.evidence.name).name)
    response["X-Content-Type-Options"] = "nosniff"  # never shown as a page, whatever its bytes
    return response

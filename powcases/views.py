"""Views of the case record outside the admin."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest

from .models import MediaItem


@login_required
def media_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a media item's file to a user allowed to view media; media has no public URL."""
    if not request.user.has_perm("powcases.view_mediaitem"):
        raise PermissionDenied
    item = MediaItem.objects.filter(pk=pk).first()
    if item is None or not item.file:
        raise Http404("No such media file.")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("The media file is missing from storage.") from None
    content_type = mimetypes.guess_type(item.file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=Path(item.file.name).name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

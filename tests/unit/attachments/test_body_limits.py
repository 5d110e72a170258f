"""An attachment's body may be as large as the largest attachment, and no other body."""

from __future__ import annotations

from reunite.web.guard import MB, Limits


def test_attachment_routes_take_an_attachment_other_routes_their_own_limit() -> None:
    limits = Limits(upload_bytes=300 * MB, request_bytes=8 * MB, attachment_bytes=20 * MB)
    # The file and the form around it.
    assert limits.for_path("/records/abc/attachments") == 21 * MB
    assert limits.for_path("/api/v1/cases/7/attachments") == 21 * MB
    assert limits.for_path("/api/v1/lists") == 300 * MB
    assert limits.for_path("/records/abc/release") == 8 * MB
    assert limits.for_path("/requests/new") == 8 * MB
    small = Limits(upload_bytes=300 * MB, request_bytes=8 * MB, attachment_bytes=MB)
    assert small.for_path("/records/abc/attachments") == 8 * MB

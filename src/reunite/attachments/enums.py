"""The vocabularies of attachments: what a file is to the case, and the types accepted."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class AttachmentKind(Vocabulary):
    """What an attached file is, as evidence (DOMAIN.md: what verification rests on)."""

    PHOTO = "photo", N_("photo")
    IDENTITY_DOCUMENT = "identity_document", N_("identity document")
    BIOGRAPHY = "biography", N_("biography")
    MEDICAL_REPORT = "medical_report", N_("medical report")
    PSYCHOLOGICAL_REPORT = "psychological_report", N_("psychological report")


class FileType(Vocabulary):
    """The only types of file accepted, as their content shows them (never their name)."""

    PDF = "application/pdf", N_("PDF document")
    JPEG = "image/jpeg", N_("JPEG picture")
    PNG = "image/png", N_("PNG picture")


# What the recipient of a released record may see of its attachments: the photos, when the
# release carries the field "photo" (sharing.enums.RELEASED_FIELDS); identity documents,
# biographies and reports stay with the sending party and the mediator.
RELEASED_KINDS = frozenset({AttachmentKind.PHOTO})
# The file name shown for each type when a download is saved.
EXTENSIONS = {FileType.PDF: ".pdf", FileType.JPEG: ".jpg", FileType.PNG: ".png"}

"""The vocabulary of the audit log: what people did, and the words of its details."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class AuditAction(Vocabulary):
    """Each kind of thing the audit log records, as the auditor reads it."""

    LOGIN = "login", N_("logged in")
    LOGIN_FAILED = "login.failed", N_("failed to log in")
    LOGOUT = "logout", N_("logged out")
    RECORD_READ = "record.read", N_("read a record")
    RECORD_READ_REFUSED = "record.read.refused", N_("was refused a record")
    RECORDS_LIST = "records.list", N_("listed records")
    RECORDS_SEARCH = "records.search", N_("searched records by name")
    REQUEST_FILED = "request.filed", N_("filed a tracing request")
    LIST_IMPORT = "list.import", N_("sent a list")
    LIST_REFUSED = "list.refused", N_("had a list refused")
    EXPORT = "export", N_("exported a party's records")
    RELEASE = "release", N_("released a record")
    RELEASE_OVERRIDE = "release.override", N_("released a record without a confirmed match")
    RELEASE_REVOKED = "release.revoked", N_("revoked a release")
    MATCH_DECISION = "match.decision", N_("decided on a candidate pair")
    DUPLICATE_LINK = "duplicate.link", N_("linked two requests as one child")
    DUPLICATE_DISMISS = "duplicate.dismiss", N_("dismissed a likely duplicate")
    DUPLICATE_UNLINK = "duplicate.unlink", N_("undid a link between requests")
    USER_CREATE = "user.create", N_("created an account")
    USER_EMAIL = "user.email", N_("set where an account's notifications are e-mailed")
    USER_DISABLE = "user.disable", N_("disabled an account")
    USER_ENABLE = "user.enable", N_("enabled an account")
    USER_PASSWORD_RESET = "user.password_reset", N_("reset an account's password")
    USER_PASSWORD_SET = "user.password_set", N_("set an account's password")
    USER_PASSWORD_CHANGED = "user.password_changed", N_("changed their own password")
    USER_SESSIONS_ENDED = "user.sessions_ended", N_("ended all of an account's sessions")
    USER_UNLOCK = "user.unlock", N_("lifted an account's login locks")
    USER_SECOND_FACTOR = "user.second_factor", N_("gave an account a new second factor")
    ACCOUNT_LOCKED = "account.locked", N_("was locked by failed logins from many places")
    ACCOUNTS_LIST = "accounts.list", N_("listed the accounts")
    ACCOUNT_READ = "account.read", N_("looked at an account")
    TOKEN_CREATE = "token.create", N_("created an API token")
    TOKEN_REVOKE = "token.revoke", N_("revoked an API token")
    CASE_READ = "case.read", N_("read a case")
    CASE_ERASED = "case.erased", N_("erased the personal data of finished cases")
    BACKUP_WRITTEN = "backup.written", N_("wrote a backup")
    BACKUP_RESTORED = "backup.restored", N_("restored a backup")
    CASE_PRINTED = "case.printed", N_("printed a case file")
    CASES_LIST = "cases.list", N_("listed cases")
    CASE_TRANSITION = "case.transition", N_("moved a case")
    CASE_APPROVAL_REQUESTED = "case.approval.requested", N_("asked a second person to approve")
    CASE_APPROVAL_DECIDED = "case.approval.decided", N_("approved or sent back a step")
    CASE_VERIFICATION = "case.verification", N_("recorded a verification")
    CASE_SIGNOFF = "case.signoff", N_("signed a verification")
    CASE_BEST_INTERESTS = "case.best_interests", N_("recorded a best-interests assessment")
    CASE_DETERMINATION = "case.determination", N_("recorded a panel's determination")
    CASE_CONSENT = "case.consent", N_("gave or refused their own consent")
    CASE_CONTACT = "case.contact", N_("recorded contact with the family")
    CASE_ASSIGNED = "case.assigned", N_("assigned a case")
    CASE_ADULT_LINKED = "case.adult_linked", N_("gave an adult their own case")
    CASE_FOLLOW_UP = "case.follow_up", N_("recorded a follow-up visit")
    CASE_FOLLOW_UP_WAIVED = "case.follow_up_waived", N_("waived a follow-up visit")
    ROUND_CREATED = "round.created", N_("planned a round of return")
    ROUND_CASES_ADDED = "round.cases_added", N_("put children in a round")
    ROUND_CASE_REMOVED = "round.case_removed", N_("took a child out of a round")
    ROUND_DEPARTED = "round.departed", N_("recorded a round's departure")
    ROUND_HANDOVER = "round.handover", N_("recorded a handover")
    MESSAGE_WRITTEN = "message.written", N_("wrote a family news message")
    MESSAGE_SUBMITTED = "message.submitted", N_("sent a message for moderation")
    MESSAGE_APPROVED = "message.approved", N_("approved a message")
    MESSAGE_RETURNED = "message.returned", N_("returned a message to its sender")
    MESSAGE_DELIVERED = "message.delivered", N_("recorded a message's delivery")
    MESSAGE_READ = "message.read", N_("read a message")
    MESSAGE_LIST = "message.list", N_("opened a case's messages")
    MESSAGE_PHOTO = "message.photo", N_("looked at a message's photo")
    CALL_REQUESTED = "call.requested", N_("asked for a call")
    CALL_PROPOSED = "call.proposed", N_("proposed a time for a call")
    CALL_AGREED = "call.agreed", N_("agreed a call's time")
    CALL_RECORDED = "call.recorded", N_("recorded whether a call was held")
    CALL_CANCELLED = "call.cancelled", N_("cancelled a call")
    ROUND_READ = "round.read", N_("read a round of return")
    FOLLOW_UP_READ = "follow_up.read", N_("read the follow-up visits due")
    INQUIRY_CREATED = "inquiry.created", N_("asked a party for information")
    INQUIRY_READ = "inquiry.read", N_("read an information request")
    INQUIRY_ANSWERED = "inquiry.answered", N_("answered for a child asked about")
    INQUIRY_WITHDRAWN = "inquiry.withdrawn", N_("withdrew an information request")
    ATTACHMENT_ADD = "attachment.add", N_("attached a file")
    ATTACHMENT_REFUSED = "attachment.refused", N_("had a file refused")
    ATTACHMENT_READ = "attachment.read", N_("opened an attachment")
    ATTACHMENT_READ_REFUSED = "attachment.read.refused", N_("was refused an attachment")
    ATTACHMENTS_LIST = "attachments.list", N_("listed attachments")
    KEY_ADDED = "key.added", N_("registered a party's signing key")
    KEY_REVOKED = "key.revoked", N_("revoked a party's signing key")
    MEDIATOR_KEY_CREATED = "key.mediator", N_("created the mediator's signing key")
    PARTY_SIGNATURES = "party.signatures", N_("changed whether a party must sign its lists")
    BATCHES_DIFF = "batches.diff", N_("compared two lists of a party")
    PACKAGE_EXPORT = "package.export", N_("exported a signed package of released records")
    RELEASES_READ = "releases.read", N_("fetched the records released to them")
    RELEASES_ACK = "releases.ack", N_("acknowledged the records released to them")
    AUDIT_SEARCH_TERM = "audit.search_term", N_("tested names against the searches kept")
    AUDIT_CHECKPOINT = "audit.checkpoint", N_("signed a checkpoint of the audit log")
    AUDIT_VERIFY = "audit.verify", N_("checked the audit log")
    FIGURES_BRIEFING = "figures.briefing", N_("printed the figures' briefing")


# The keys of entries' details, as the auditor reads them.
DETAIL_LABELS = {
    "checkpoint": N_("checkpoint"),
    "checkpoints": N_("checkpoints"),
    "entries": N_("entries"),
    "head": N_("last entry"),
    "intact": N_("intact"),
    "added": N_("added"),
    "already_attached": N_("already attached"),
    "attachments": N_("attachments"),
    "account": N_("account"),
    "answer": N_("answer"),
    "approval": N_("approval"),
    "cases": N_("cases"),
    "from": N_("from"),
    "panel": N_("panel"),
    "planned_on": N_("planned for"),
    "red_flag": N_("red flag"),
    "side": N_("for"),
    "state": N_("state"),
    "track": N_("track"),
    "verification": N_("verification"),
    "visit": N_("visit"),
    "due_on": N_("due"),
    "item": N_("child asked about"),
    "items": N_("children asked about"),
    "already_imported": N_("already imported"),
    "batch": N_("list"),
    "case": N_("case"),
    "corrected": N_("corrected"),
    "decision": N_("decision"),
    "disclosed_id": N_("disclosed record"),
    "fields": N_("fields"),
    "filename": N_("file"),
    "first_problems": N_("first problems"),
    "format": N_("format"),
    "kind": N_("kind"),
    "language": N_("language"),
    "label": N_("label"),
    "match": N_("confirmed match"),
    "offset": N_("from item"),
    "override": N_("override reason"),
    "party": N_("party"),
    "party_id": N_("party"),
    "photo": N_("photo"),
    "prefix": N_("token prefix"),
    "previous_status": N_("status before"),
    "probability": N_("probability"),
    "problems": N_("problems"),
    "purpose": N_("purpose"),
    "query": N_("search"),
    "reason": N_("reason"),
    "record": N_("record"),
    "records": N_("records"),
    "rejected": N_("rejected"),
    "request_id": N_("tracing request"),
    "results": N_("results"),
    "terms": N_("search words (keyed hashes)"),
    "role": N_("role"),
    "sessions": N_("sessions ended"),
    "rows_read": N_("rows read"),
    "scope": N_("release kind"),
    "status": N_("status"),
    "to": N_("to"),
    "username": N_("username"),
    "via": N_("through"),
    "view": N_("page"),
    "why": N_("why"),
    "withdrawn": N_("withdrawn"),
    "key": N_("key"),
    "valid_from": N_("valid from"),
    "valid_until": N_("valid until"),
    "required": N_("required"),
    "signed_by": N_("signed by key"),
    "code": N_("refusal code"),
    "cursor": N_("cursor"),
    "idempotency_key": N_("idempotency key"),
    "recipient": N_("recipient"),
    "package_sha256": N_("package SHA-256"),
    "words": N_("words searched"),
}

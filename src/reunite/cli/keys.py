"""Commands for trusted exchange: keys, signing, receipts, diffs and released packages.

`sign`, `verify-receipt` and `verify-package` need no database: a party runs them on its
own machine with its own key, or the mediator's public key.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reunite.cli.common import app, audit_cli, mediator_public_key, run_command, session_scope
from reunite.errors import InvalidInput, ReuniteError

if TYPE_CHECKING:
    from reunite.exchange.diff import BatchDiff

keys_app = typer.Typer(
    help="The parties' signing keys and the mediator's own key.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")


def _when(text: str | None, *, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{option}: not a date or time (use 2026-12-31 or 2026-12-31T12:00)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@keys_app.command("init")
def keys_init() -> None:
    """Create the mediator's signing key if there is none (the file is mode 0600)."""
    from reunite.keys.service import init_mediator_key, mediator_key_path
    from reunite.keys.signing import key_id

    def body() -> None:
        public, created = init_mediator_key()
        path = mediator_key_path()
        if created:
            with session_scope() as session:
                audit_cli(session, "key.mediator", subject_type="key", subject_id=key_id(public))
            typer.echo(f"created the mediator's signing key {key_id(public)} in {path} (mode 600)")
        else:
            typer.echo(f"the mediator's signing key {key_id(public)} is in {path}")

    run_command(body)


@keys_app.command("public")
def keys_public(
    out: Annotated[Path | None, typer.Option(help="Write the PEM here instead.")] = None,
) -> None:
    """Print the mediator's public key (PEM), for the parties to check receipts with."""
    from reunite.keys.service import mediator_public_pem

    def body() -> None:
        pem = mediator_public_pem()
        if out is None:
            typer.echo(pem, nl=False)
        else:
            out.write_text(pem, encoding="ascii")
            typer.echo(f"wrote the mediator's public key to {out}")

    run_command(body)


@keys_app.command("add")
def keys_add(
    file: Annotated[Path, typer.Argument(help="The party's Ed25519 public key, PEM.")],
    party: Annotated[str, typer.Option(help="The party whose key it is.")],
    valid_from: Annotated[
        str | None, typer.Option(help="Valid from this time (UTC unless given); default now.")
    ] = None,
    valid_until: Annotated[
        str | None, typer.Option(help="Valid until this time; default: until revoked.")
    ] = None,
) -> None:
    """Register a party's public key; a signature is checked against keys valid when made."""
    from reunite.keys import service
    from reunite.parties.service import get_party_by_name

    def body() -> None:
        starts = _when(valid_from, option="--valid-from")
        ends = _when(valid_until, option="--valid-until")
        try:
            pem = file.read_bytes()
        except OSError as exc:
            raise ReuniteError(f"cannot read {file}: {exc.strerror}") from None
        with session_scope() as session:
            owner = get_party_by_name(session, name=party)
            key = service.add_key(
                session, party=owner, pem=pem, valid_from=starts, valid_until=ends
            )
            audit_cli(
                session,
                "key.added",
                subject_type="key",
                subject_id=key.key_id,
                details={
                    "party": owner.name,
                    "valid_from": key.valid_from.isoformat(),
                    "valid_until": key.valid_until.isoformat() if key.valid_until else None,
                },
            )
            typer.echo(f"added key {key.key_id} for {owner.name}")

    run_command(body)


@keys_app.command("list")
def keys_list(
    party: Annotated[str | None, typer.Option(help="Only this party's keys.")] = None,
) -> None:
    """Print one key per line: id, party, state, validity, and why it was revoked."""
    from reunite.keys import service
    from reunite.parties.service import get_party_by_name

    def body() -> None:
        now = datetime.now(UTC)
        with session_scope() as session:
            owner = get_party_by_name(session, name=party) if party is not None else None
            for line in service.list_keys(session, party=owner):
                until = f"{line.valid_until:%Y-%m-%d %H:%M}" if line.valid_until else "—"
                why = f"\t{line.revoke_reason}" if line.revoked_at else ""
                typer.echo(
                    f"{line.key_id}\t{line.party}\t{line.state(now)}\t"
                    f"{line.valid_from:%Y-%m-%d %H:%M} → {until}{why}"
                )

    run_command(body)


@keys_app.command("revoke")
def keys_revoke(
    key: Annotated[str, typer.Argument(help="The key's id, as `keys list` prints it.")],
    reason: Annotated[str, typer.Option(help="Why (kept, and shown with refusals).")],
) -> None:
    """Revoke a key: no signature by it is accepted any more."""
    from reunite.keys import service

    def body() -> None:
        with session_scope() as session:
            revoked = service.revoke_key(session, key=key, reason=reason)
            audit_cli(
                session,
                "key.revoked",
                subject_type="key",
                subject_id=revoked.key_id,
                details={"reason": revoked.revoke_reason},
            )
        typer.echo(f"revoked key {revoked.key_id}")

    run_command(body)


@app.command("sign")
def sign_command(
    file: Annotated[Path, typer.Argument(help="The list to sign.")],
    key: Annotated[Path, typer.Option(help="Your Ed25519 private key (PEM, PKCS#8, mode 600).")],
    out: Annotated[Path | None, typer.Option(help="Where to write; default FILE.sig.")] = None,
) -> None:
    """Write FILE.sig: a detached signature over the file's SHA-256, the time and the key id."""
    from reunite.keys.signing import read_private_key_file, sign_file

    def body() -> None:
        if not file.is_file():
            raise InvalidInput(f"{file}: no such file")
        private = read_private_key_file(key)
        target = out or file.with_name(file.name + ".sig")
        target.write_text(sign_file(file, private), encoding="ascii")
        typer.echo(f"wrote {target}")

    run_command(body)


@app.command("verify-receipt")
def verify_receipt_command(
    receipt: Annotated[Path, typer.Argument(help="The receipt (JSON) the mediator signed.")],
    key: Annotated[
        Path | None, typer.Option(help="The mediator's public key (PEM); default: this server's.")
    ] = None,
) -> None:
    """Check a receipt offline: signed by the mediator's key, unchanged since."""
    from reunite.keys.signing import RECEIPT_FORMAT, read_json_document, verify_document

    def body() -> None:
        public = mediator_public_key(key)
        try:
            data = receipt.read_bytes()
        except OSError as exc:
            raise ReuniteError(f"cannot read {receipt}: {exc.strerror}") from None
        document = read_json_document(data, expected_format=RECEIPT_FORMAT)
        checked = verify_document(document, public, expected_format=RECEIPT_FORMAT)
        counts = checked.get("counts") or {}
        typer.echo(
            f"receipt verified: batch {checked.get('batch')} of {checked.get('party')} "
            f"({checked.get('kind')}, {checked.get('filename')}), sha256 {checked.get('sha256')}, "
            f"received {checked.get('received_at')}; "
            + ", ".join(f"{name} {counts.get(name)}" for name in
                        ("added", "corrected", "unchanged", "withdrawn", "rejected"))
            + f"; signed by mediator key {checked.get('key_id')}"
        )  # fmt: skip

    run_command(body)


@app.command("verify-package")
def verify_package_command(
    package: Annotated[Path, typer.Argument(help="The package (zip) the mediator signed.")],
    key: Annotated[
        Path | None, typer.Option(help="The mediator's public key (PEM); default: this server's.")
    ] = None,
) -> None:
    """Check a package of released records offline: its signature and every file's hash."""
    from reunite.keys.signing import verify_package

    def body() -> None:
        public = mediator_public_key(key)
        try:
            data = package.read_bytes()
        except OSError as exc:
            raise ReuniteError(f"cannot read {package}: {exc.strerror}") from None
        verified = verify_package(data, public)
        manifest = verified.manifest
        typer.echo(
            f"package verified: {len(verified.records)} records released to "
            f"{manifest.get('recipient')}, made {manifest.get('created_at')}, "
            f"signed by mediator key {manifest.get('key_id')}"
        )

    run_command(body)


@app.command("package")
def package_command(
    out: Annotated[Path, typer.Option("--out", help="The package file to write (zip).")],
    party: Annotated[
        str | None, typer.Option(help="The party the records were released to.")
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="The family member's or adult's account instead.")
    ] = None,
) -> None:
    """Export the records released to one party or one family as a signed package."""
    from reunite.sharing.packages import export_package, named_recipient

    def body() -> None:
        with session_scope() as session:
            recipient = named_recipient(session, party=party, user=user)
            package = export_package(session, recipient=recipient)
            audit_cli(
                session,
                "package.export",
                subject_type="recipient",
                subject_id=recipient.key,
                details={"recipient": recipient.name, "records": package.records,
                         "package_sha256": package.sha256},
            )  # fmt: skip
        out.write_bytes(package.data)
        typer.echo(f"wrote {package.records} released records for {recipient.name} to {out}")

    run_command(body)


@app.command("diff")
def diff_command(
    batch_a: Annotated[int, typer.Argument(help="The earlier list (batch number).")],
    batch_b: Annotated[int, typer.Argument(help="The later list of the same party and kind.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """Show the records added, corrected (field by field) and withdrawn between two lists."""
    from reunite.exchange.diff import diff_batches

    def body() -> None:
        with session_scope() as session:
            result = diff_batches(session, principal=None, batch_a=batch_a, batch_b=batch_b)
            audit_cli(
                session,
                "batches.diff",
                subject_type="batch",
                subject_id=f"{result.from_batch}..{result.to_batch}",
                details={"added": len(result.added), "corrected": len(result.corrected),
                         "withdrawn": len(result.withdrawn)},
            )  # fmt: skip
        for line in _diff_lines(result, as_json=as_json):
            typer.echo(line)

    run_command(body)


def _show(value: object) -> str:
    return "—" if value in (None, "") else json.dumps(value, ensure_ascii=False)


def _diff_lines(result: BatchDiff, *, as_json: bool) -> list[str]:
    if as_json:
        document = {
            "from_batch": result.from_batch,
            "to_batch": result.to_batch,
            **{
                name: [
                    {
                        "id": change.external_id,
                        "changes": {c.field: [c.old, c.new] for c in change.changes},
                    }
                    for change in getattr(result, name)
                ]
                for name in ("added", "corrected", "withdrawn")
            },
        }
        return [json.dumps(document, ensure_ascii=False, indent=2, default=str)]
    lines = [
        f"from batch {result.from_batch} to batch {result.to_batch} ({result.kind}): "
        f"added {len(result.added)}, corrected {len(result.corrected)}, "
        f"withdrawn {len(result.withdrawn)}"
    ]
    for change in result.added:
        lines.append(f"+ {change.external_id}")
    for change in result.corrected:
        lines.append(f"~ {change.external_id}")
        for c in change.changes:
            lines.append(f"    {c.field}: {_show(c.old)} → {_show(c.new)}")
    for change in result.withdrawn:
        lines.append(f"- {change.external_id}")
    return lines

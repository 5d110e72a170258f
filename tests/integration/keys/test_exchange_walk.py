"""The whole trusted exchange with two parties' key pairs, each command its own process.

Sign, upload, receipt, verify the receipt offline, diff against the previous batch,
release, signed package, verify it offline: as the mediator and the two parties run it,
each step a fresh `reunite` process with nothing but the environment. The offline checks
run with an empty environment pointing at no database at all.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy import select

from reunite.auth.service import create_user, principal_of
from reunite.db.engine import make_engine, session_factory, transaction
from reunite.records.models import Record
from reunite.sharing.service import release_record
from reunite.wiring import schema

from factories import REQUEST_HEADER, write_csv
from serving import REUNITE

V1 = [
    ["UA-1", "Лисенко", "Олександр", "Миколайович", "ч", "12.03.2014", "Харків", "", ""],
    ["UA-2", "Коваль", "Ганна", "Андріївна", "ж", "2016-07", "Бахмут", "", ""],
    ["UA-3", "Шевчук", "Дмитро", "", "ч", "2011", "Херсон", "", ""],
]
# The next list: UA-2's birth place corrected, UA-3 withdrawn, UA-4 added.
V2_HEADER = [*REQUEST_HEADER, "withdrawn"]
V2 = [
    [*V1[0], ""],
    ["UA-2", "Коваль", "Ганна", "Андріївна", "ж", "2016-07", "Бахмут", "", "", ""],
    [*V1[2], "так"],
    ["UA-4", "Мельник", "Ірина", "", "ж", "2015-05-01", "Маріуполь", "", "", ""],
]
V2[1][6] = "Краматорськ"
DISCLOSURES = "id,фамилия,имя,пол,дата рождения\nRU-1,Лысенко,Александр,м,12.03.2014\n"


@dataclass
class Reunite:
    """The `reunite` command in a fresh process per call."""

    env: dict[str, str]
    folder: Path

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(REUNITE), *args],
            env=env if env is not None else self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def ok(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = self.run(*args, env=env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result.stdout

    def refused(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = self.run(*args, env=env)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result.stderr


def _bare_env(folder: Path) -> dict[str, str]:
    # A party's own machine: no database, no mediator key, nothing of the server.
    env = {k: v for k, v in os.environ.items() if not k.startswith("REUNITE_")}
    env["REUNITE_DATABASE_URL"] = f"sqlite:///{folder / 'nothing-here.db'}"
    env["REUNITE_MEDIATOR_KEY_FILE"] = str(folder / "no-such-key.pem")
    return env


@pytest.fixture
def reunite(database_url: str, tmp_path: Path) -> Reunite:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("REUNITE_") or key == "REUNITE_TEST_POSTGRES_URL"
    }
    env["REUNITE_DATABASE_URL"] = database_url
    env["REUNITE_CACHE_DIR"] = str(tmp_path / "cache")
    env["REUNITE_MEDIATOR_KEY_FILE"] = str(tmp_path / "secret" / "mediator.pem")
    return Reunite(env, tmp_path)


def _key_pair(folder: Path, name: str) -> tuple[Path, Path]:
    """Write a key pair as `openssl genpkey -algorithm ed25519` and `pkey -pubout` would."""
    key = Ed25519PrivateKey.generate()
    private = folder / f"{name}.key"
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    public = folder / f"{name}.pub"
    public.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    return private, public


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _release_to_ukraine(database_url: str) -> None:
    """The mediator releases Russia's record RU-1 to Ukraine (a caseworker's act)."""
    schema()
    engine = make_engine(database_url)
    try:
        with transaction(session_factory(engine)) as session:
            user = create_user(
                session, username="cw", password="correct horse battery", role="caseworker"
            )
            record = session.scalar(select(Record).where(Record.external_id == "RU-1"))
            assert record is not None
            ukraine = session.scalar(select(Record.party_id).where(Record.external_id == "UA-1"))
            release_record(
                session,
                principal=principal_of(session, user),
                record_id=record.id,
                purpose="identity check for the request UA-1",
                to_party_id=ukraine,
            )
    finally:
        engine.dispose()


@pytest.mark.slow
def test_the_whole_exchange_with_two_parties_key_pairs(
    reunite: Reunite, database_url: str, tmp_path: Path
) -> None:
    offline = _bare_env(tmp_path)
    created = reunite.ok("db", "upgrade")
    assert "created the mediator's signing key" in created
    assert "created" not in reunite.ok("db", "upgrade")  # made once, kept
    assert "the mediator's signing key" in reunite.ok("keys", "init")
    mediator_key = tmp_path / "secret" / "mediator.pem"
    assert _mode(mediator_key) == 0o600
    assert "PRIVATE" not in created and "PRIVATE" not in reunite.ok("keys", "init")
    reunite.ok("keys", "public", "--out", str(tmp_path / "mediator.pem"))
    assert "PUBLIC KEY" in (tmp_path / "mediator.pem").read_text()

    reunite.ok("party", "add", "Neutral Mediator", "--role", "mediator")
    reunite.ok("party", "add", "Ukraine", "--role", "requesting")
    reunite.ok("party", "add", "Russia", "--role", "custodial")
    ua_key, ua_pub = _key_pair(tmp_path, "ukraine")
    ru_key, ru_pub = _key_pair(tmp_path, "russia")
    assert "added key" in reunite.ok("keys", "add", "--party", "Ukraine", str(ua_pub))
    assert "added key" in reunite.ok("keys", "add", "--party", "Russia", str(ru_pub))
    listed = reunite.ok("keys", "list").splitlines()
    assert [line.split("\t")[1:3] for line in listed] == [["Russia", "valid"], ["Ukraine", "valid"]]
    assert "now requires" in reunite.ok("party", "require-signatures", "Ukraine")

    # Ukraine signs its first list on its own machine and sends it with the signature.
    v1 = write_csv(tmp_path, "requests-v1.csv", REQUEST_HEADER, V1)
    reunite.ok("sign", str(v1), "--key", str(ua_key), env=offline)
    unsigned = reunite.refused("import", str(v1), "--party", "Ukraine", "--kind", "requests")
    assert "signs its lists" in unsigned
    imported = reunite.ok(
        "import", str(v1), "--party", "Ukraine", "--kind", "requests",
        "--signature", f"{v1}.sig", "--receipt-out", str(tmp_path / "receipt-1.json"),
    )  # fmt: skip
    assert "stored — rows read 3, added 3" in imported

    # The receipt holds offline, with the mediator's public key only.
    receipt = json.loads((tmp_path / "receipt-1.json").read_text())
    assert receipt["counts"]["added"] == 3 and receipt["party"] == "Ukraine"
    assert receipt["party_key_id"] == listed[1].split("\t")[0]
    checked = reunite.ok(
        "verify-receipt", str(tmp_path / "receipt-1.json"), "--key", str(tmp_path / "mediator.pem"),
        env=offline,
    )  # fmt: skip
    assert "receipt verified: batch 1 of Ukraine" in checked and "added 3" in checked

    # The second list corrects, withdraws and adds; the diff says so field by field.
    v2 = write_csv(tmp_path, "requests-v2.csv", V2_HEADER, V2)
    reunite.ok("sign", str(v2), "--key", str(ua_key), env=offline)
    imported = reunite.ok(
        "import", str(v2), "--party", "Ukraine", "--kind", "requests",
        "--signature", f"{v2}.sig", "--receipt-out", str(tmp_path / "receipt-2.json"),
    )  # fmt: skip
    assert "added 1, corrected 1, withdrawn 1, unchanged 1" in imported
    diff = reunite.ok("diff", "1", "2").splitlines()
    assert diff[0] == "from batch 1 to batch 2 (requests): added 1, corrected 1, withdrawn 1"
    assert "+ UA-4" in diff and "- UA-3" in diff and "~ UA-2" in diff
    assert '    birth_place: "Бахмут" → "Краматорськ"' in diff
    as_json = json.loads(reunite.ok("diff", "2", "1", "--json"))
    assert [c["id"] for c in as_json["corrected"]] == ["UA-2"]

    # Russia signs its list of disclosed children the same way.
    disclosures = tmp_path / "children.csv"
    disclosures.write_text(DISCLOSURES, encoding="utf-8")
    reunite.ok("sign", str(disclosures), "--key", str(ru_key), env=offline)
    reunite.ok(
        "import", str(disclosures), "--party", "Russia", "--kind", "disclosures",
        "--signature", f"{disclosures}.sig",
    )  # fmt: skip
    batches = reunite.ok("batches")
    assert batches.count("\n") == 3

    # The mediator releases RU-1 to Ukraine and exports Ukraine's signed package.
    _release_to_ukraine(database_url)
    package = tmp_path / "ukraine-package.zip"
    assert "wrote 1 released records for Ukraine" in reunite.ok(
        "package", "--party", "Ukraine", "--out", str(package)
    )
    verified = reunite.ok(
        "verify-package", str(package), "--key", str(tmp_path / "mediator.pem"), env=offline
    )
    assert "package verified: 1 records released to Ukraine" in verified

    # Every key file is readable by its owner only.
    for secret in (mediator_key, ua_key, ru_key):
        assert _mode(secret) == 0o600
    assert "no signing key" in reunite.run("keys", "public", env=offline).stderr

"""Fuzzing the JSON API from its own schema: no answer is a 500, every answer fits the schema.

Schemathesis reads `/openapi.json` and sends every operation requests made from it, both
valid ones and ones that break it (wrong types, missing fields, bytes that are no JSON),
with each role's token and with none, to the application in-process on a small world: the
test world with a case walked to an approved return, a round, a pair waiting for review and
a message in moderation, so that the ids it draws name real things as often as not.

The checks: no server error (a 500, or an exception escaping the application), the status
code is one the operation declares, and the body and headers fit what the schema says of
that status. A request the schema allows may still be refused (a party that does not
exist): that is a 4xx the schema declares, not a fault, so schemathesis's
`positive_data_acceptance` is not among the checks.

Short here (`REUNITE_FUZZ_EXAMPLES`, default 6 requests per operation, role and database,
the same ones on every run); a longer, random run: `REUNITE_FUZZ_EXAMPLES=300
REUNITE_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/integration/app/test_fuzz_api.py`.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from reunite.app import create_app
from reunite.auth.service import create_token
from reunite.cases import service as cases
from reunite.channel import service as channel
from reunite.channel.service._messages import NewMessage
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.review.models import MatchCandidate
from reunite.wiring import default_engine, default_sessions

from walking import add_second_caseworker, approve_return
from world import ROLES_OF_WORLD, build_world

EXAMPLES = int(os.environ.get("REUNITE_FUZZ_EXAMPLES", "6"))
RANDOM = os.environ.get("REUNITE_FUZZ_RANDOM", "") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@dataclass
class Target:
    """The application, its schema, a token per role, and the ids that name real things."""

    schema: Any
    tokens: dict[str, str]
    numbers: list[int]
    records: list[uuid.UUID]
    failures: dict[tuple[str, str], str] = field(default_factory=dict)


@pytest.fixture
def target(configured: str, tmp_path: Path) -> Target:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        add_second_caseworker(session, world)
        case = approve_return(session, world, request=world.request, disclosed=world.released)
        staff = world.principals["caseworker"]
        cases.create_round(
            session, principal=staff, name="Round 1", planned_on=date.today() + timedelta(days=3),
            route="Moscow – Minsk – Kyiv", escort="Embassy", handover_point="Kyiv",
        )  # fmt: skip
        session.add(
            MatchCandidate(
                request_id=world.request,
                disclosed_id=world.disclosure,
                probability=0.6,
                engine_decision="possible",
                rival="relative",
                explanation=[],
                status="proposed",
            )  # fmt: skip
        )
        channel.write_message(
            session, principal=world.principals["family"], case_id=case.id,
            form=NewMessage(text="Сонечко, ми чекаємо вдома.", sender_name="Мама",
                            recipient_name="Оля"),
        )  # fmt: skip
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
    # The world's rows are numbered from 1 in every table: small numbers name real things.
    return Target(schema, tokens, list(range(1, 7)), list(world.records))


def _with_known_ids(target: Target, operation: Any, mode: GenerationMode) -> Any:
    """Requests of the operation whose path ids, half the time, name things that exist."""

    def known(case: Any, draw: st.DrawFn) -> Any:
        for name, value in list((case.path_parameters or {}).items()):
            if not draw(st.booleans()):
                continue
            if isinstance(value, int):
                case.path_parameters[name] = draw(st.sampled_from(target.numbers))
            elif name == "record_id":
                case.path_parameters[name] = str(draw(st.sampled_from(target.records)))
        return case

    @st.composite
    def cases_of(draw: st.DrawFn) -> Any:
        case = draw(operation.as_strategy(generation_mode=mode))
        return known(case, draw) if mode is GenerationMode.POSITIVE else case

    return cases_of()


def _fuzz(target: Target, operation: Any, role: str | None) -> None:
    headers = {"Authorization": f"Bearer {target.tokens[role]}"} if role else {}
    strategy = st.one_of(
        _with_known_ids(target, operation, GenerationMode.POSITIVE),
        _with_known_ids(target, operation, GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def send(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (FailureGroup, Exception) as failure:
            # Every failure is kept, one per kind and operation, and all named at the end.
            kinds = getattr(failure, "exceptions", None) or [failure]
            for kind in kinds:
                title = (str(kind).splitlines() or [type(kind).__name__])[0]
                key = (operation.label, f"{type(kind).__name__}: {title}")
                target.failures.setdefault(
                    key,
                    f"{role or 'anonymous'}: {case.method} {case.formatted_path} "
                    f"query={case.query!r} body={case.body!r}\n{str(kind)[:1500]}",
                )

    send()


@pytest.mark.slow
@pytest.mark.parametrize("role", [None, *ROLES_OF_WORLD])
def test_no_api_answer_is_a_server_error_or_breaks_the_schema(
    target: Target, role: str | None
) -> None:
    operations = [result.ok() for result in target.schema.get_all_operations()]
    assert len(operations) >= 9  # the whole API, not an empty schema
    for operation in operations:
        _fuzz(target, operation, role)
    found = "\n\n".join(
        f"{op} — {kind}\n{example}" for (op, kind), example in target.failures.items()
    )
    assert not target.failures, f"{len(target.failures)} failures:\n\n{found}"

"""The rule: when two records are likely one child."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reunite.matching import names
from reunite.records.keys import father_ids, full_birth_date, mother_ids


def _agree(first: frozenset[str], second: frozenset[str]) -> bool | None:
    """Tell whether two sets of identities share one; None when either side is unknown."""
    if not first or not second:
        return None
    return not first.isdisjoint(second)


def likely_same_child(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str] | None:
    """Return what agrees when two records are likely one child; None when they are not.

    Likely one child: the same full date of birth; the same sex where both know it; no
    parent named differently on the two, and at least one parent named alike (given-name
    identities in any script; the father also through the child's patronymic); and the
    child's given names alike, or, where one record has none, its surname alike. Given
    names that differ veto the pair even under one surname: twins share everything else.
    """
    birth_date = full_birth_date(a)
    if not birth_date or birth_date != full_birth_date(b):
        return None
    evidence = ["birth_date"]
    sex_a, sex_b = a.get("sex") or "", b.get("sex") or ""
    if sex_a and sex_b:
        if sex_a != sex_b:
            return None
        evidence.append("sex")
    for parent, identities in (("mother", mother_ids), ("father", father_ids)):
        agree = _agree(identities(a), identities(b))
        if agree is False:
            return None
        if agree:
            evidence.append(parent)
    if "mother" not in evidence and "father" not in evidence:
        return None
    given = _agree(
        names.given_name_ids(a.get("given_name") or ""),
        names.given_name_ids(b.get("given_name") or ""),
    )
    if given is False:
        return None
    surname = _agree(
        names.surname_keys(a.get("surname") or ""), names.surname_keys(b.get("surname") or "")
    )
    if given:
        evidence.append("given_name")
    if surname:
        evidence.append("surname")
    return evidence if given or surname else None

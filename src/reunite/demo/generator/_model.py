"""The scenario's data model, its columns, date bounds and proportions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from reunite.demo.name_data import (
    GivenName,
    RussianRegion,
    Town,
)

REQUEST_COLUMNS: tuple[str, ...] = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
    "last_known_place",
    "separation_date",
    "separation_circumstances",
    "distinguishing_marks",
    "contact",
    "name_variants",
)
DISCLOSURE_COLUMNS: tuple[str, ...] = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
    "current_location",
    "institution",
    "distinguishing_marks",
    "name_variants",
    "withheld",
)
LINK_COLUMNS: tuple[str, str] = ("request_id", "disclosed_id")

EARLIEST_DATE = date(1990, 1, 1)
BIRTH_FIRST = date(2005, 1, 1)
BIRTH_LAST = date(2022, 12, 31)
WAR_START = date(2022, 2, 24)
SEPARATION_LAST = date(2024, 12, 31)

# --- proportions (kept as named constants so tests and docs can refer to them) ----------
# Children per family; gives ~45% of children with at least one sibling in the data.
FAMILY_SIZE_WEIGHTS: tuple[tuple[int, float], ...] = ((1, 0.73), (2, 0.19), (3, 0.06), (4, 0.02))
P_TWINS = 0.10  # multi-child families whose second child is a twin of the first
P_TWINS_SAME_SEX = 0.5
P_COUSIN_FAMILY = 0.05  # family shares surname, home town and grandfather with another
P_DOUBLE_REQUEST = 0.08  # sought children with a second request from another relative
P_SOUGHT_DISCLOSED = 0.80  # the rest of the requests have no matching disclosure
P_LATIN_PRIMARY = 0.23  # with the second requests this yields ~25% Latin requests
P_SURNAME_CHANGED = 0.10  # disclosed under a guardian's Russian surname
P_GUARDIANSHIP_OTHER = 0.18  # in a foster family but kept their surname
P_DOB_ERROR = 0.10  # disclosure birth date differs from the truth
P_IDENTITY_CHANGE = 0.5  # of surname changes: birth place replaced by a Russian town
P_WITHHELD = 0.03
P_SIBLINGS_PLACED_TOGETHER = 0.6
P_MARK = 0.35

Rnd = Callable[[], float]


# --- public data model --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SurnameForms:
    """All spellings of one family surname used by the two parties."""

    ua_m: str
    ua_f: str
    ru_m: str  # letter-by-letter Russian copy of the Ukrainian spelling
    ru_f: str
    ru_phon_m: str  # as a Russian clerk hears it (Лисенко → Лысенко)
    ru_phon_f: str


@dataclass(slots=True, eq=False)
class Family:
    """Hidden truth about one family: parents, surname, home and separation event."""

    id: int
    surname: SurnameForms
    home: Town
    mother_given: GivenName
    mother_father: GivenName  # gives the mother's patronymic
    mother_surname: SurnameForms
    father_given: GivenName
    father_father: GivenName
    father_known: bool
    separation: date
    circumstance: int
    last_place: Town
    relation: int  # index into the primary requester relations
    phone_seed: int
    core: bool
    placement: Placement | None = None


@dataclass(slots=True, eq=False)
class Placement:
    """Where the custodial party placed a child (shared by siblings placed together)."""

    region: RussianRegion
    city: str
    institution: str
    guardian_surname: tuple[str, str]  # guardian's Russian surname (masc., fem.); "" if none
    surname_changed: bool


@dataclass(slots=True, eq=False)
class Child:
    """Hidden truth about one child and how each side's record deviates from it."""

    index: int
    family: Family
    sex: str
    given: GivenName
    birth: date
    birth_town: Town
    twin_of: int  # index of the twin sibling, -1 if none
    mark: int  # index into MARKS, -1 if none
    request_ids: tuple[str, ...] = ()
    request_scripts: tuple[str, ...] = ()
    disclosure_id: str = ""
    placement: Placement | None = None
    disclosed_birth: date | None = None
    dob_error: str = ""  # "", "swap", "day", "digit" or "year"
    identity_changed: bool = False
    withheld: bool = False

    @property
    def core(self) -> bool:
        """Return whether the child belongs to the population both parties know about."""
        return self.family.core

    @property
    def surname_changed(self) -> bool:
        """Return whether the disclosure carries a guardian's surname instead of the family's."""
        return self.placement is not None and self.placement.surname_changed


@dataclass(slots=True)
class Scenario:
    """Materialised scenario: rows for both parties, ground-truth links and the population."""

    requests: list[dict[str, str]]
    disclosures: list[dict[str, str]]
    links: list[tuple[str, str]]
    children: list[Child] = field(default_factory=list)

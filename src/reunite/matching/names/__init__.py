"""Compare personal names across Ukrainian Cyrillic, Russian Cyrillic and Latin.

Families write their tracing requests in Ukrainian Cyrillic («Олександр
Миколайович Лисенко») or in Latin as printed in Ukrainian passports
(«Oleksandr Lysenko»); the custodial party discloses records in Russian Cyrillic
with Russified names («Александр Николаевич Лысенко»). This package turns any of
these spellings into keys that agree:

* ``fold`` — a script-independent phonetic skeleton in lower-case ASCII;
* ``given_name_ids`` — canonical identities of a given name (full forms, Russian
  and Ukrainian forms, transliterations, diminutives);
* ``patronymic_father_ids`` — the father's given-name identities implied by a
  patronymic;
* ``surname_keys`` — gender-neutral folded keys of a surname, with the Russian
  forms of Ukrainian surnames;
* ``given_name_relation``/``surname_relation`` — a verdict for two names.

Its parts (private modules): ``_translit`` (the standards), ``_fold``, ``_given_index``
(built once, cached on disk) and ``_given`` (lookups), ``_patronymics``, ``_surnames``,
``_initials``, ``_full`` (parents' names: given name, own patronymic, surname, initials)
and ``_relations``. The text rules they rest on (scripts,
apostrophes, dashes, the full-name splitter) are ``reunite.matching.text``.

Sources (all installed packages, read offline; nothing is downloaded):

* names_translator (MIT): compiled uk->ru dictionaries of ~11k first names,
  ~17k patronymics and ~120k surnames. First names are read whole, once, on
  first use; patronymics and surnames are looked up key by key.
* translitua (MIT): the Ukrainian tables — KMU 2010 (Cabinet of Ministers of
  Ukraine resolution No. 55 of 27.01.2010, the passport standard since 2010),
  the passport tables of 2007 and 2004, BGN/PCGN 1965, National 1996, …
* iuliia (MIT): the Russian schemas — ICAO Doc 9303 (Russian passports since
  2013), GOST 7.79-2000 system B, BGN/PCGN, MVD order 310 of 1997 (passports
  1997-2010) and MVD order 782 (2010-2013).
* rapidfuzz (MIT): Jaro-Winkler similarity.
* reunite.matching.name_tables: the project's own small tables (diminutives,
  Western spellings, irregular patronymics).

Decisions callers must know:

* Identities are strings: a dictionary name's identity is the lower-case
  Cyrillic representative of its group («олександр»); a name unknown to the
  dictionaries gets ``"fold:" + fold(name)`` so that equal spellings still agree.
* The sex of a name is part of its identity: «Іван»/«Іванна», «Ян»/«Яна» and
  «Олександр»/«Олександра» are "different" even though they look alike; twins
  and siblings are told apart by exactly these pairs.
* «Лисенко» and «Лисенков» are "different" surnames: -ов is a Russian suffix that
  makes a new surname (names_translator lists «Лисенков» as a surname of its own,
  and Russification keeps -енко as it is); likewise «Шевчук»/«Шевченко» and
  «Ковальчук»/«Коваленко», whose productive suffixes differ.
* Everything is a pure function of its arguments; per-string results are
  memoised with ``lru_cache``, dictionaries are built once per process.
"""

from reunite.matching.names._common import detect_script
from reunite.matching.names._fold import fold
from reunite.matching.names._full import (
    NO_PARENT,
    ParentName,
    father_ids_from_name,
    given_name_from_full,
    initials_of,
    parent_name,
    person_given_ids,
    person_surname_keys,
)
from reunite.matching.names._given import given_name_ids, known_given
from reunite.matching.names._initials import (
    build_tables,
    initials_agree,
    initials_of_ids,
    written_initials,
)
from reunite.matching.names._patronymics import patronymic_father_ids
from reunite.matching.names._relations import (
    given_name_relation,
    name_similarity,
    surname_relation,
)
from reunite.matching.names._surnames import surname_keys
from reunite.matching.names._translit import RU_STANDARDS, UK_STANDARDS, transliterate

__all__ = [
    "NO_PARENT",
    "RU_STANDARDS",
    "UK_STANDARDS",
    "ParentName",
    "build_tables",
    "detect_script",
    "father_ids_from_name",
    "fold",
    "given_name_from_full",
    "given_name_ids",
    "given_name_relation",
    "initials_agree",
    "initials_of",
    "initials_of_ids",
    "known_given",
    "name_similarity",
    "parent_name",
    "patronymic_father_ids",
    "person_given_ids",
    "person_surname_keys",
    "surname_keys",
    "surname_relation",
    "transliterate",
    "written_initials",
]

"""Text rules of names in Ukrainian, Russian and Latin: one place for the whole project.

Scripts and look-alike letters, apostrophes and dashes, invisible characters, letter case,
the cleaning of a name as written in a list, the known given names and the full-name
splitter. The import (``reunite.records.cleaning``, ``reunite.records.columns``) and the
matcher (``reunite.matching.names``, ``reunite.matching.places``) use these and keep no
copies of their own.
"""

from reunite.matching.text._case import normalise_case, title
from reunite.matching.text._clean import clean_name, has_letters
from reunite.matching.text._given import is_known_given, known_given_names
from reunite.matching.text._letters import APOSTROPHE, APOSTROPHES, DASHES, MARKS, clean_text
from reunite.matching.text._scripts import (
    CYRILLIC_CLASS,
    LATIN_CLASS,
    LETTER,
    repair_lookalikes,
    script_of,
)
from reunite.matching.text._split import split_full_name

__all__ = [
    "APOSTROPHE",
    "APOSTROPHES",
    "CYRILLIC_CLASS",
    "DASHES",
    "LATIN_CLASS",
    "LETTER",
    "MARKS",
    "clean_name",
    "clean_text",
    "has_letters",
    "is_known_given",
    "known_given_names",
    "normalise_case",
    "repair_lookalikes",
    "script_of",
    "split_full_name",
    "title",
]

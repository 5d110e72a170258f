"""What the moderation queue highlights: details in a message that could endanger someone.

Red Cross Messages carry family news, never where someone is. The screen finds street
addresses, phone numbers, e-mail addresses, links and places below city level (villages,
districts) in Ukrainian, Russian and Latin script. It highlights; a person decides: a
highlighted word may be harmless ("our street cat"), and a place the screen does not know
is still the moderator's to see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reunite.channel.enums import FindingKind

# A word in any script, with the apostrophes and hyphens inside Ukrainian and Russian words.
_WORD = re.compile(r"\w+(?:['’ʼ-]\w+)*")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+\.(?:com|net|org|info|ua|ru|by|kz|io|me|gov|edu|рф|укр)\b(?:/\S*)?"
    r"|\bt\.me/\S+"
    # A messenger handle (@name) is a way to find someone, as a link is.
    r"|(?<![\w.])@[A-Za-z0-9_]{4,}",
    re.IGNORECASE,
)
# Digits with the separators phone numbers are written with.
_DIGITS = re.compile(r"\+?\(?\d[\d\s().-]{4,}\d")
_LOCAL_PHONE = re.compile(r"\b\d{3}[- ]\d{2}[- ]\d{2}\b")
_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")

_STREET_WORDS = (
    # Ukrainian
    r"вул\.?|вулиц[яіює]|вулицею|просп\.?|проспект\w*|пров\.?|провулок\w*|бульв\.?|"
    r"бульвар\w*|пл\.|площ[аіу]|буд\.?|будин(?:ок|ку)|кв\.?|квартир[аиіу]|під'?їзд\w*|"
    r"під’їзд\w*|узвіз|шосе|набережн\w+|"
    # Russian
    r"ул\.?|улиц[аеуы]|пер\.?|переул(?:ок|ке|ка)|б-р|д\.|дом[аеу]?|подъезд\w*|шоссе|"
    r"проезд\w*|тупик\w*|"
    # Latin (passport and English spellings)
    r"street|str\.|st\.|avenue|ave\.?|road|rd\.|lane|vul\.?|vulytsia|vulytsya|ulitsa|"
    r"ulica|ul\.|prospekt|prosp\.?|apt\.?|apartment|flat|house\s+no\.?|building|bldg\.?"
)
_ADDRESS = re.compile(
    rf"(?<!\w)(?:{_STREET_WORDS})(?!\w)(?:\s*[\w'’ʼ.-]+){{0,3}}"
    # English order: the number first ("12 Green Street").
    r"|\b\d+\w?\s+[A-Za-z]+\s+(?:street|road|avenue|lane)\b",
    re.IGNORECASE,
)
_PLACE_WORDS = (
    r"село|селі|села|селище|селищі|смт|хутір|хуторі|хутор[аеу]?|деревн[яеиюі]|"
    r"посёл(?:ок|ке)|посел(?:ок|ке)|пос\.|р-н|район\w*|мікрорайон\w*|микрорайон\w*|"
    r"village|settlement|hamlet|district|raion|rayon|selo|smt"
)
_PLACE = re.compile(
    rf"(?<!\w)(?:{_PLACE_WORDS})(?!\w)(?:\s*[\w'’ʼ.-]+){{0,2}}"
    # "с. Шевченкове", "с.Іванівка": the village abbreviation before a capitalised name.
    r"|(?<!\w)[сc]\.\s?[А-ЯІЇЄҐ][\w'’ʼ-]+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """A highlighted stretch of a message: what kind of detail, and where."""

    kind: FindingKind
    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind.value, "text": self.text, "start": self.start, "end": self.end}


def count_words(text: str) -> int:
    """Count the words of a message as a reader would (an apostrophe does not split one)."""
    return len(_WORD.findall(text))


def _phones(text: str) -> list[Finding]:
    found = []
    for match in _DIGITS.finditer(text):
        stretch = match.group().strip()
        digits = sum(character.isdigit() for character in stretch)
        # A date (12.05.2015) has at most 8 digits; a phone number at least 9, or a +.
        if _DATE.match(stretch):
            continue
        if digits >= 9 or (stretch.startswith("+") and digits >= 7):
            found.append(Finding(FindingKind.PHONE, stretch, match.start(), match.end()))
    for match in _LOCAL_PHONE.finditer(text):
        found.append(Finding(FindingKind.PHONE, match.group(), match.start(), match.end()))
    return found


def screen(text: str) -> list[Finding]:
    """Return what a moderator must look at, in the order it appears, without overlaps."""
    found: list[Finding] = []
    for kind, pattern in (
        (FindingKind.EMAIL, _EMAIL),
        (FindingKind.LINK, _LINK),
        (FindingKind.ADDRESS, _ADDRESS),
        (FindingKind.PLACE, _PLACE),
    ):
        for match in pattern.finditer(text):
            stretch = match.group().rstrip(" .,;:")
            found.append(Finding(kind, stretch, match.start(), match.start() + len(stretch)))
    found.extend(_phones(text))
    found.sort(key=lambda finding: (finding.start, -(finding.end - finding.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue  # inside one already highlighted (an e-mail's domain is not a second link)
        kept.append(finding)
    return kept


def segments(text: str, findings: list[dict[str, object]]) -> list[tuple[str, str | None]]:
    """Split a message into plain and highlighted stretches, for the queue to show."""
    parts: list[tuple[str, str | None]] = []
    position = 0
    for finding in sorted(findings, key=lambda item: int(str(item["start"]))):
        start, end = int(str(finding["start"])), int(str(finding["end"]))
        if start < position or end > len(text):
            continue
        if start > position:
            parts.append((text[position:start], None))
        parts.append((text[start:end], str(finding["kind"])))
        position = end
    if position < len(text):
        parts.append((text[position:], None))
    return parts

"""Which AFNOR NF Z10-011 line each piece of a free-form French address belongs to.

    line 1  recipient: civility, first name, last name
    line 2  delivery point complement: APPT, ETAGE, ESCALIER, CHEZ...
    line 3  building complement: BATIMENT, RESIDENCE, ENTREE...
    line 4  street number, repetition index, street type and name
    line 5  locality complement: LIEU DIT, HAMEAU, BP, CS, TSA
    line 6  postal code and locality (+ CEDEX): returned as separate fields, the SQL side checks
            them against the official postal code list

Clerks put complements in any of the three source lines, sometimes on the street line itself
("12 RUE X APPT 5"), so each source line is cut into segments and each segment is classified
with the keywords of seeds/afnor_line_keywords.csv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rnvp.text import (
    LINE_MAX,
    STREET_LABEL_MAX,
    abbreviate_street_label,
    abbreviate_words,
    normalise_text,
    read_seed,
    truncate,
)

# A lone B/T/Q after the number is the short form of BIS/TER/QUATER: written out in full, so the
# same address always reads the same (12B, 12 B and 12 BIS all give 12 BIS).
_REPETITION_INDEX = {"B": "BIS", "T": "TER", "Q": "QUATER"}
_STREET_NUMBER = re.compile(r"^(\d+) ?(BIS|TER|QUATER|QUINQUIES|B|T|Q)?(?= |$)")
_ORDINAL = re.compile(r"^\d+(ER|ERE|E|EME|ME)$")  # 1ER, 3EME, 2E (as in 3EME ETAGE)
# A number, or a single letter other than the elided articles D and L (PORTE D ITALIE).
_IDENTIFIER = re.compile(r"^(\d+[A-Z]?|[A-CE-KM-Z])$")
_CEDEX = re.compile(r"\bCEDEX(?: \d{1,3})?\b")

PROBLEMS = ("address_missing", "street_abbreviated", "line_truncated", "recipient_missing")


@dataclass(frozen=True)
class _Keyword:
    line: int
    takes_identifier: bool  # APPT 5, BAT C: can be cut off a street line


@cache
def _keywords() -> dict[str, list[tuple[tuple[str, ...], _Keyword]]]:
    """First word -> the (keyword words, keyword) pairs starting with it, longest first."""
    by_first_word: dict[str, list[tuple[tuple[str, ...], _Keyword]]] = {}
    for row in read_seed("afnor_line_keywords.csv"):
        words = tuple(row["keyword"].split())
        keyword = _Keyword(int(row["afnor_line"]), row["followed_by"] == "identifier")
        by_first_word.setdefault(words[0], []).append((words, keyword))
    for pairs in by_first_word.values():
        pairs.sort(key=lambda pair: -len(pair[0]))
    return by_first_word


def _keyword_at(words: list[str], i: int) -> tuple[int, _Keyword] | None:
    """(number of words, keyword) of the longest keyword starting at word i."""
    for phrase, keyword in _keywords().get(words[i], ()):
        if tuple(words[i:i + len(phrase)]) == phrase:
            return len(phrase), keyword
    return None


def _complement_size(words: list[str], i: int) -> int:
    """Words in an identified complement starting at word i (APPT 5, BAT C, 3EME ETAGE), or 0."""
    if _ORDINAL.match(words[i]) and i + 1 < len(words):
        found = _keyword_at(words, i + 1)
        return 1 + found[0] if found and found[1].takes_identifier else 0
    found = _keyword_at(words, i)
    if found and found[1].takes_identifier:
        end = i + found[0]
        if end < len(words) and _IDENTIFIER.match(words[end]):
            return found[0] + 1
    return 0


def split_segments(line: str) -> list[str]:
    """A normalised source line cut around its identified complements.

    "12 RUE X APPT 5" -> ["12 RUE X", "APPT 5"]; "BAT C ESC 2" -> ["BAT C", "ESC 2"].
    Complements introducing a name (CHEZ, RESIDENCE, LIEU DIT) are never cut off: they run to the
    end of the line, and inside a street name they are part of it (RUE DE LA RESIDENCE).
    """
    words, segments, current, i = line.split(), [], [], 0
    while i < len(words):
        size = _complement_size(words, i)
        if size:
            segments += [" ".join(current)] if current else []
            segments.append(" ".join(words[i:i + size]))
            current, i = [], i + size
        else:
            current.append(words[i])
            i += 1
    return segments + ([" ".join(current)] if current else [])


def classify_line(segment: str) -> int | None:
    """The AFNOR line (2 to 5) of a normalised segment, or None when nothing tells.

    A segment starting with a street number or a street type is line 4; otherwise its first
    complement keyword decides (3EME ETAGE -> 2, LES PINS BAT C -> 3).
    """
    if _STREET_NUMBER.match(segment):
        return 4
    words = segment.split()
    for i in range(len(words)):
        found = _keyword_at(words, i)
        if found and (i == 0 or found[1].line != 4):  # a street type counts only at the start
            return found[1].line
    return None


def segment_address(source_lines: list[str]) -> list[str]:
    """The segments of all normalised source lines, in order; a street number alone on its line
    ("12", then "RUE X") joins the segment after it."""
    segments: list[str] = []
    for segment in (seg for line in source_lines for seg in split_segments(line)):
        number = _STREET_NUMBER.match(segments[-1]) if segments else None
        if number and number.end() == len(segments[-1]):
            segments[-1] += " " + segment
        else:
            segments.append(segment)
    return segments


def place_segments(segments: list[str]) -> dict[int, list[str]]:
    """Segments grouped by AFNOR line, in their source order.

    The street is the first line-4 segment. A segment that is not the street, but looks like one
    or is unclassified (LE CLOS FLEURI, LES GRANGES), takes its place from the street: above it,
    a building (line 3); below it, a locality complement (line 5). With no street at all, the first
    unclassified segment stands for it on line 4, as a named place does in the Base Adresse
    Nationale.
    """
    lines = [classify_line(segment) for segment in segments]
    street_at = lines.index(4) if 4 in lines else lines.index(None) if None in lines else None
    placed: dict[int, list[str]] = {2: [], 3: [], 4: [], 5: []}
    for i, (segment, line) in enumerate(zip(segments, lines, strict=True)):
        if i == street_at:
            line = 4
        elif line in (None, 4):
            line = 3 if i < street_at else 5
        placed[line].append(segment)
    return placed


def split_street_number(street: str) -> tuple[str | None, str | None, str]:
    """(number, repetition index, label) of a normalised street line: 12 B RUE X -> 12, BIS."""
    match = _STREET_NUMBER.match(street)
    if not match:
        return None, None, street
    index = match.group(2)
    return match.group(1), _REPETITION_INDEX.get(index, index), street[match.end():].strip()


def recipient_line(civility: str | None, first_name: str | None, last_name: str | None
                   ) -> str | None:
    """CIVILITY FIRST NAME LAST NAME, civility abbreviated (MADAME -> MME).

    Over 38 characters, each part of the first name becomes its initial (JEAN PIERRE -> J P);
    what is still too long is truncated by the caller. None when there is no name at all.
    """
    short_civility = abbreviate_words(normalise_text(civility), ("civility", "title"))
    first, last = normalise_text(first_name), normalise_text(last_name)
    if not first and not last:
        return None
    line = " ".join(part for part in (short_civility, first, last) if part)
    if len(line) > LINE_MAX and first:
        initials = " ".join(word[0] for word in first.split())
        line = " ".join(part for part in (short_civility, initials, last) if part)
    return line


def split_locality_cedex(city: str | None, postal_code: str | None = None
                         ) -> tuple[str | None, str | None]:
    """(locality, cedex): PARIS CEDEX 08 -> (PARIS, CEDEX 08); the postal field may carry it."""
    locality = normalise_text(city)
    cedex = _CEDEX.search(locality) or _CEDEX.search(normalise_text(postal_code))
    locality = " ".join(_CEDEX.sub(" ", locality).split())
    return locality or None, cedex.group(0) if cedex else None


def clean_postal_code(postal_code: str | None, french: bool = True) -> str | None:
    """The postal field without its CEDEX part; French codes also lose spaces and dots (75 008).

    Not validated nor padded: the SQL side checks it against the official postal code list.
    """
    text = _CEDEX.sub(" ", (postal_code or "").upper())
    cleaned = re.sub(r"[\s.]+", "", text) if french else " ".join(text.split())
    return cleaned or None


def _street_line(street: str) -> tuple[str | None, str | None, str, bool]:
    """(number, repetition index, line 4, whether the street label had to be abbreviated)."""
    number, index, label = split_street_number(street)
    prefix = " ".join(part for part in (number, index) if part)
    # 32 leaves room for "12 BIS"; a longer number and index leave less.
    short_label = abbreviate_street_label(label, min(STREET_LABEL_MAX, LINE_MAX - len(prefix) - 1))
    line = " ".join(part for part in (prefix, short_label) if part)
    return number, index, line, short_label != label


def _label_after_number(line_4: str | None, number: str | None, index: str | None
                        ) -> str | None:
    """The street label as printed on line 4, after abbreviation and any truncation."""
    prefix = " ".join(part for part in (number, index) if part)
    return (line_4 or "")[len(prefix):].strip() or None


def _address_lines(source_lines: list[str], french: bool) -> dict[int, str | None]:
    """Lines 2 to 5 from the normalised source lines.

    Abroad the AFNOR layout does not apply: the source lines keep their order, bottom-aligned on
    lines 2 to 4, since the last one is usually the street.
    """
    if french:
        placed = place_segments(segment_address(source_lines))
    else:
        kept = [line for line in source_lines if line]
        placed = {4 - i: [line] for i, line in enumerate(reversed(kept))}
    return {n: " ".join(placed.get(n, [])) or None for n in (2, 3, 4, 5)}


def afnor_address(civility: str | None, first_name: str | None, last_name: str | None,
                  address_line_1: str | None, address_line_2: str | None,
                  address_line_3: str | None, postal_code: str | None, city: str | None,
                  country_code: str | None) -> dict:
    """One free-form address restructured into AFNOR NF Z10-011 lines 1 to 5, plus line 6 parts.

    Returns line_1..line_5, street_number, repetition_index, street_label, postal_code,
    locality, cedex (str or None) and problems (codes of PROBLEMS, in that order).
    """
    french = normalise_text(country_code) in ("", "FR")
    sources = [normalise_text(line) for line in (address_line_1, address_line_2, address_line_3)]
    lines = {1: recipient_line(civility, first_name, last_name), **_address_lines(sources, french)}

    number = index = None
    abbreviated = False
    if french and lines[4]:
        number, index, lines[4], abbreviated = _street_line(lines[4])
    fitted = {n: truncate(line) if line else (None, False) for n, line in lines.items()}

    flags = {
        "address_missing": not lines[4] and not lines[5],
        "street_abbreviated": abbreviated,
        "line_truncated": any(cut for _, cut in fitted.values()),
        "recipient_missing": not normalise_text(last_name),
    }
    locality, cedex = split_locality_cedex(city, postal_code)
    return {
        **{f"line_{n}": fitted[n][0] for n in range(1, 6)},
        "street_number": number,
        "repetition_index": index,
        "street_label": _label_after_number(fitted[4][0], number, index) if french else None,
        "postal_code": clean_postal_code(postal_code, french),
        "locality": locality,
        "cedex": cedex,
        "problems": [problem for problem in PROBLEMS if flags[problem]],
    }

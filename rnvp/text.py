"""How an address line is written: AFNOR NF Z10-011 normalisation and street-label abbreviation.

The abbreviation engine follows the approach of BaseAdresseNationale/normadresse: words are
shortened one family at a time, left to right, stopping as soon as the label fits. The words and
their short forms live in seeds/afnor_abbreviations.csv; the order of the families lives here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from itertools import chain

from orchestration.settings import REPO_ROOT

LINE_MAX = 38
STREET_LABEL_MAX = 32  # 38 minus room for a street number and a repetition index

# Latin letters NFKD leaves whole (no base letter + accent to split off), spelt as in French
# (and as iconv //TRANSLIT or unidecode spell them): ligatures in full, a barred or slashed
# letter as the plain letter. Applied after NFKD, so that Ǿ (Ø + acute) is caught too.
_UNDECOMPOSED = {
    "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "ẞ": "SS",
    "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ł": "L", "ł": "l",
    "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t", "Þ": "TH", "þ": "th", "ı": "i",
}
# Dropped, not spaced: the accents NFKD split off (and every other combining mark), and the
# invisible format characters (soft hyphen, zero-width space and joiners, byte order mark).
# Unicode puts all of them in planes 0, 1 and 14.
_INVISIBLE = frozenset({"Mn", "Mc", "Me", "Cf"})
_AFTER_NFKD = str.maketrans({
    **{chr(code): None for code in chain(range(0x20000), range(0xE0000, 0xE1000))
       if unicodedata.category(chr(code)) in _INVISIBLE},
    **_UNDECOMPOSED,
})
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")

_ARTICLES = frozenset({"LE", "LA", "LES", "L", "AU", "AUX", "DE", "DU", "DES", "D", "ET", "A",
                      "SUR", "EN"})
# A first name after one of these is a common noun (LA PIERRE, LA CLAIRE), not a person's.
_DEFINITE_ARTICLES = frozenset({"LE", "LA", "LES", "L", "DU", "DES", "AU", "AUX"})
_SAINTS = frozenset({"SAINT", "SAINTE", "SAINTS", "SAINTES", "ST", "STE", "STS", "STES"})


def read_seed(name: str) -> list[dict[str, str]]:
    """Rows of a CSV in seeds/: the business rules dbt also loads."""
    with (REPO_ROOT / "seeds" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def normalise_text(value: str | None) -> str:
    """Upper case, no accents, only letters A-Z, digits and single spaces ('' for nothing).

    The one definition of "normalised text": the address lines use it, and so does SQL, where
    it is an SQL function of the same name (rnvp/sql_functions.py; NULL instead of '') for the
    macro normalised_text (derived households, locality keys).

    - NFKD first: accents split off and dropped (É -> E, ÿ -> Y), fullwidth and other
      compatibility forms to plain ones (Ａ１ -> A1, ﬁ -> FI, ½ -> 1 2, no-break spaces -> space).
      Invisible format characters (soft hyphen, zero-width space, BOM) are dropped too.
    - Letters NFKD leaves whole are spelt out: Œ -> OE, Æ -> AE, ß -> SS, Ø -> O, Đ/Ð -> D,
      Ł -> L, Ħ -> H, Ŧ -> T, Þ -> TH, ı -> I.
    - Every other character (hyphens and dashes, apostrophes ' ’ ʼ, commas, slashes, tabs, °,
      letters of other scripts...) becomes a space rather than disappearing, so "12,rue",
      "L’Haÿ" or "Saint–Denis" never glue two words into one.
    """
    if not value:
        return ""
    if not value.isascii():  # most values are plain ASCII: skip the costly decomposition
        value = unicodedata.normalize("NFKD", value).translate(_AFTER_NFKD)
    return _NOT_ALNUM.sub(" ", value).strip().upper()


def truncate(line: str, width: int = LINE_MAX) -> tuple[str, bool]:
    """The line cut to `width` characters (never ending on a space), and whether it was cut."""
    if len(line) <= width:
        return line, False
    return line[:width].rstrip(), True


# --- the abbreviation table -------------------------------------------------------------------

@cache
def abbreviations() -> dict[str, dict[tuple[str, ...], str]]:
    """kind -> {words of the long form: short form}, from seeds/afnor_abbreviations.csv."""
    table: dict[str, dict[tuple[str, ...], str]] = {}
    for row in read_seed("afnor_abbreviations.csv"):
        table.setdefault(row["kind"], {})[tuple(row["word"].split())] = row["abbreviation"]
    return table


def abbreviate_words(text: str, kinds: tuple[str, ...]) -> str:
    """Every phrase of the given kinds replaced by its short form (used for civilities)."""
    words = [_Word(word) for word in text.split()]
    edits = _phrase_edits(words, kinds, first=0, stop=len(words))
    return " ".join(word.text for word in _apply(words, edits))


# --- the engine -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Word:
    text: str
    shortened: bool = False  # later steps leave an abbreviated word alone
    first_name: bool = False  # the initial of a first name: a DE after it is a name particle


@dataclass(frozen=True)
class _Edit:
    start: int
    stop: int  # exclusive: a phrase of several words becomes one
    word: _Word | None  # None drops the words


def _length(words: Sequence[_Word]) -> int:
    return sum(len(word.text) for word in words) + max(len(words) - 1, 0)


def _apply(words: Sequence[_Word], edits: Sequence[_Edit]) -> list[_Word]:
    result = list(words)
    for edit in reversed(edits):  # right to left keeps the earlier positions valid
        result[edit.start:edit.stop] = [edit.word] if edit.word else []
    return result


@cache
def _phrases(kinds: tuple[str, ...]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word -> the (phrase, short form) pairs of some kinds starting with it, longest first."""
    by_first_word: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for kind in kinds:
        for phrase, short in abbreviations()[kind].items():
            by_first_word.setdefault(phrase[0], []).append((phrase, short))
    for pairs in by_first_word.values():
        pairs.sort(key=lambda pair: -len(pair[0]))
    return by_first_word


def _phrase_at(words: Sequence[_Word], i: int, stop: int, kinds: tuple[str, ...]
               ) -> tuple[int, str] | None:
    """The longest phrase of `kinds` starting at word i and ending before `stop`."""
    for phrase, short in _phrases(kinds).get(words[i].text, ()):
        span = words[i:i + len(phrase)]
        if (i + len(phrase) <= stop and tuple(word.text for word in span) == phrase
                and not any(word.shortened for word in span)):
            return len(phrase), short
    return None


def _phrase_edits(words: Sequence[_Word], kinds: tuple[str, ...], first: int, stop: int
                  ) -> list[_Edit]:
    """Short forms of the phrases of `kinds` starting at index >= first and ending before stop."""
    edits, i = [], first
    while i < stop:
        found = _phrase_at(words, i, stop, kinds)
        if found:
            edits.append(_Edit(i, i + found[0], _Word(found[1], shortened=True)))
        i += found[0] if found else 1
    return edits


# Positions a step may touch. The last word is never shortened: it is usually the name itself.
def _at_start(words: Sequence[_Word], kinds: tuple[str, ...]) -> list[_Edit]:
    return [e for e in _phrase_edits(words, kinds, 0, len(words) - 1) if e.start == 0]


def _inside(words: Sequence[_Word], kinds: tuple[str, ...]) -> list[_Edit]:
    return _phrase_edits(words, kinds, 1, len(words) - 1)


def _anywhere(words: Sequence[_Word], kinds: tuple[str, ...]) -> list[_Edit]:
    return _phrase_edits(words, kinds, 0, len(words) - 1)


@cache
def _first_name_initials() -> dict[str, str]:
    return {phrase[0]: short for phrase, short in abbreviations()["first_name"].items()}


def _first_name_edits(words: Sequence[_Word]) -> list[_Edit]:
    """Inner first names to their initial, except in a saint's name (SAINT JEAN BAPTISTE)."""
    initials = _first_name_initials()
    edits, in_saint_name = [], False
    for i, word in enumerate(words[:-1]):
        is_name = word.text in initials and not word.shortened
        in_saint_name = is_name and (in_saint_name or (i > 0 and words[i - 1].text in _SAINTS))
        if (is_name and i > 0 and not in_saint_name
                and words[i - 1].text not in _DEFINITE_ARTICLES):
            edits.append(_Edit(i, i + 1, _Word(initials[word.text], True, first_name=True)))
    return edits


def _is_particle(words: Sequence[_Word], i: int) -> bool:
    """An article that belongs to a proper name: F DE BOURBON, WALDECK L HUILIER, VILLENEUVE D ASCQ."""
    before = words[i - 1]
    if words[i].text in {"DE", "D"} and before.first_name:
        return True
    return words[i].text in {"L", "D"} and i > 1 and before.text not in _ARTICLES


def _article_edits(words: Sequence[_Word], particles: bool) -> list[_Edit]:
    """Inner articles dropped; those of proper names only in the last resort (particles=True)."""
    return [_Edit(i, i + 1, None) for i in range(1, len(words) - 1)
            if words[i].text in _ARTICLES and _is_particle(words, i) == particles]


def _initial_edits(words: Sequence[_Word]) -> list[_Edit]:
    """Remaining inner words reduced to their first letter (numbers and articles kept)."""
    return [_Edit(i, i + 1, _Word(word.text[0], shortened=True))
            for i, word in enumerate(words[:-1])
            if i > 0 and not word.shortened and len(word.text) > 1 and word.text[0].isalpha()
            and word.text not in _ARTICLES]


# Steps in the order normadresse applies them: official street types first, proper names last.
_STEPS: tuple[Callable[[Sequence[_Word]], list[_Edit]], ...] = (
    partial(_at_start, kinds=("street_type",)),
    partial(_inside, kinds=("title", "civility")),
    partial(_anywhere, kinds=("common_word",)),
    partial(_inside, kinds=("place", "street_type")),
    _first_name_edits,
    partial(_inside, kinds=("saint",)),
    partial(_at_start, kinds=("place",)),
    partial(_article_edits, particles=False),
    _initial_edits,
    partial(_article_edits, particles=True),
)


def _shorten_until_fits(words: list[_Word], edits: Sequence[_Edit], max_len: int
                        ) -> tuple[list[_Word], bool]:
    """Apply the edits left to right, stopping at the first that makes the label fit."""
    for count in range(1, len(edits) + 1):
        candidate = _apply(words, edits[:count])
        if _length(candidate) <= max_len:
            return candidate, True
    return _apply(words, edits), False


def abbreviate_street_label(label: str | None, max_len: int = STREET_LABEL_MAX) -> str:
    """The normalised street label, abbreviated only if it is longer than max_len.

    Best effort: a label that cannot be brought under max_len comes back as short as the rules
    make it, possibly still too long (the caller truncates the whole line).
    """
    text = normalise_text(label)
    if len(text) <= max_len:
        return text
    words = [_Word(word) for word in text.split()]
    for step in _STEPS:
        words, fits = _shorten_until_fits(words, step(words), max_len)
        if fits:
            break
    return " ".join(word.text for word in words)

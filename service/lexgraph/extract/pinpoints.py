"""Article pinpoints: Dutch article phrases in one normal form.

"artikel 15, onder c"                     -> "art. 15(c)"
"artikel 29, eerste lid, aanhef en onder b" -> "art. 29(1)(b)"
"artikel 7(1 )(h)"                        -> "art. 7(1)(h)"
"artikelen 12.2 en 4.1"                   -> "art. 12(2); art. 4(1)"
"artikel 8:69"                            -> "art. 8:69"
"artikel 15c"                             -> "art. 15(c)"
"""

from __future__ import annotations

import functools
import re

ORDINALS = {
    "eerste": 1,
    "tweede": 2,
    "derde": 3,
    "vierde": 4,
    "vijfde": 5,
    "zesde": 6,
    "zevende": 7,
    "achtste": 8,
    "negende": 9,
    "tiende": 10,
}
_ORD = "|".join(ORDINALS)

#: One article reference: number, then optional dotted/bracketed/lid/onder parts.
#: "15", "15c", "12.2", "8:69", "7(1 )(h)", "29, eerste lid, aanhef en onder b", "15, onder c"
ONE = (
    r"\d{1,4}[a-z]?(?::\d{1,4}[a-z]?)?(?:\.\d{1,3}[a-z]?(?![\d/]))?"
    r"(?:\s*\(\s*[0-9a-z]{1,3}\s*\))*"
    rf"(?:,?\s+(?:(?:{_ORD})|\d{{1,2}}e)\s+lid)?"
    r"(?:,?\s+(?:aanhef\s+en\s+)?onder\s+[a-z](?:°|\d)?(?=[\s,.;)]|$))?"
)
#: how several articles of one instrument are joined: "12.2 en 4.1", "12.2, gelezen in combinatie
#: met artikel 4.1", "8:69 juncto 8:72"
_JOIN = (
    r"(?:\s*(?:,|en|juncto|jo\.)\s+"
    r"|,?\s+(?:gelezen\s+in\s+(?:combinatie|samenhang)\s+met|in\s+samenhang\s+met)\s+"
    r"(?:artikel\s+)?)"
)
#: "artikel 15, onder c, van de", "artikelen 12.2 en 4.1 van de", "art. 3",
#: "Artikel 19, tweede lid,"
PHRASE = re.compile(
    rf"(?:[Aa]rtikel(?:en)?|[Aa]rt\.)\s+({ONE}(?:{_JOIN}{ONE})*)"
    r"\.?,?\s+(?:(?:van|uit)\s+(?:de|het)\s+)?$"
)
_PART = re.compile(ONE)

# the parts of one reference, compiled once (normalise_one runs for every pinpoint)
_DOTTED = re.compile(r"\d{1,4}\.\d{1,3}[a-z]?")
_NUMBER = re.compile(r"(\d{1,4}[a-z]?(?::\d{1,4}[a-z]?)?)(?:\.(\d{1,3}))?")
_LETTER = re.compile(r"(\d+)([a-z])")
_BRACKETED = re.compile(r"\(\s*([0-9a-z]{1,3})\s*\)")
_LID = re.compile(rf"\b({_ORD}|\d{{1,2}})e?\s+lid")
_ONDER = re.compile(r"onder\s+([a-z])")


def normalise_one(ref: str, *, dotted_article: bool = False) -> str:
    """One article reference in normal form (see module docstring).

    ``dotted_article``: in Dutch acts "3.6a" is an article number (chapter 3, article 6a), not
    article 3, paragraph 6 as "12.2" is in a treaty.
    """
    ref = " ".join(ref.split())
    if dotted_article:
        whole = _DOTTED.match(ref)
        if whole:
            rest = normalise_one("0" + ref[whole.end() :])
            return f"art. {whole.group(0)}" + rest[len("art. 0") :]
    m = _NUMBER.match(ref)
    if not m:
        return f"art. {ref}"
    number, sub = m[1], m[2]
    parts: list[str] = []
    letter = _LETTER.fullmatch(number)
    if letter and ":" not in number:
        number, parts = letter[1], [letter[2]]
    if sub:
        parts.append(sub)
    rest = ref[m.end() :]
    parts += _BRACKETED.findall(rest)
    lid = _LID.search(rest)
    if lid:
        parts.append(str(ORDINALS.get(lid[1], lid[1])))
    onder = _ONDER.search(rest)
    if onder:
        parts.append(onder[1])
    return f"art. {number}" + "".join(f"({p})" for p in parts)


@functools.lru_cache(maxsize=4096)
def normalise(refs: str, *, dotted_article: bool = False) -> str:
    """Several article references ("12.2 en 4.1") joined by "; "."""
    found = [m.group(0) for m in _PART.finditer(refs) if m.group(0).strip()]
    return "; ".join(normalise_one(f, dotted_article=dotted_article) for f in found)


#: where a phrase can start, one character on ("rtikel", "rt."): a literal the engine finds fast
_PHRASE_AT = re.compile(r"rt(?:ikel|\.)")


def leading_phrase(before: str) -> re.Match[str] | None:
    """An article phrase that ends exactly where a citation of its instrument starts: what
    ``PHRASE.search(before)`` finds, tried only where the word "artikel" or "art." starts."""
    for hit in _PHRASE_AT.finditer(before):
        start = hit.start() - 1
        if start >= 0 and before[start] in "Aa":
            m = PHRASE.match(before, start)
            if m is not None:
                return m
    return None

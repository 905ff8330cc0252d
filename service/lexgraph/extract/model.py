"""Citation objects: what the extractor returns for one reference in a source text."""

from __future__ import annotations

from dataclasses import dataclass, field

CITATION_TYPES = (
    "eu-act",
    "eu-proposal",
    "nl-act",
    "nl-regulation",
    "nl-policy-rule",
    "kamerstuk",
    "handelingen",
    "aanhangsel-handelingen",
    "kamervraag",
    "motion",
    "commitment",
    "treaty",
    "case-law",
    "other",
)


@dataclass(frozen=True)
class Citation:
    """One reference: its span in the source text, its type and its normalised identifier.

    ``text == source[start:end]`` always holds. ``markers`` are the spans of footnote markers in
    the body text that refer to the footnote this citation stands in (empty elsewhere).
    """

    start: int
    end: int
    text: str
    type: str
    id: str
    pinpoint: str | None = None
    document: str | None = None
    markers: tuple[tuple[int, int], ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        """The CITATIONS.md JSON object (exactly its fields)."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "id": self.id,
            "pinpoint": self.pinpoint,
        }


_FIELDS = ("start", "end", "text", "type", "id", "pinpoint", "document", "markers")
_new = object.__new__
_setattr = object.__setattr__


def citation(
    start: int,
    end: int,
    text: str,
    type: str,
    id: str,
    pinpoint: str | None,
    document: str | None,
    markers: tuple[tuple[int, int], ...],
) -> Citation:
    """``Citation(start, end, text, type, id, pinpoint, document, markers)``, built the way the
    extractor builds thousands per megabyte: the generated ``__init__`` of a frozen dataclass
    sets each field through ``object.__setattr__`` (eight calls); this sets the instance's
    ``__dict__`` once. The result is equal, hashes and prints the same (tests check it).
    """
    c = _new(Citation)
    _setattr(
        c,
        "__dict__",
        {
            "start": start,
            "end": end,
            "text": text,
            "type": type,
            "id": id,
            "pinpoint": pinpoint,
            "document": document,
            "markers": markers,
        },
    )
    return c

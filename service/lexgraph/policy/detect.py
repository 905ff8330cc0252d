"""Detect policy facts from the structure and stock phrases of Dutch government texts.

Runs on every document with no curation: numbered questions and their answers, lettered decision
points and their "Ad x)" explanations, commitments ("Ik zeg toe", "zeg ik toe", "zegde toe",
"Zoals toegezegd"), motions and their submitters, the cabinet's appreciation of a motion
("ontraad ik de motie", "laat ik aan het oordeel van de Kamer"), members with their party, and
statements about the end date of temporary protection. Every hit is a span of the source text;
:mod:`lexgraph.policy.facts` turns hits into anchored RDF.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lexgraph.policy.text import (
    DATE_RE,
    Span,
    blocks,
    clean_block,
    lines,
    parse_date,
    sentence_at,
    slug,
    trim,
)

# --------------------------------------------------------------------------------------------
# Questions and answers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QAHit:
    """A question (``label`` as printed: "1", "6a", "A.1") and its answer span, if any."""

    label: str
    q: Span
    a: Span | None
    parent: str | None = None


_VRAAG = re.compile(r"^\s*Vraag\s+(\d{1,2}[a-z]?)\s*$")
_ANTWOORD = re.compile(r"^\s*Antwoord(?:\s+op\s+vraag)?\s+(\d{1,2}[a-z]?)\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\.\s+\S")
_SUB = re.compile(r"^\s*\(([a-z])\)\s+\S")
_SECTION = re.compile(r"^\s*([A-H])\.\s+(\S.{0,90})$")
_CONTEXT = re.compile(r"\bvragen\b", re.IGNORECASE)
_ENDS_Q = re.compile(r"\?\s*\S{0,2}\s*$")


def detect_questions(text: str) -> list[QAHit]:
    """Question/answer pairs, in "Vraag N / Antwoord N" form or as a numbered list."""
    hits = _vraag_antwoord(text)
    return hits if hits else _numbered_questions(text)


def _answer_span(text: str, start: int, end: int) -> Span | None:
    """The answer in ``text[start:end]``: its real blocks, stopping at footnotes and furniture."""
    kept: list[Span] = []
    for b in blocks(text, start, end):
        c = clean_block(text, b)
        if c is None:
            if kept:
                break
            continue
        kept.append(c)
    if not kept:
        return None
    return Span(kept[0].start, kept[-1].end)


def _vraag_antwoord(text: str) -> list[QAHit]:
    marks: list[tuple[str, str, int, int]] = []  # (kind, label, line start, line end)
    for s, e, line in lines(text):
        m = _VRAAG.match(line)
        if m:
            marks.append(("q", m[1], s, e))
            continue
        m = _ANTWOORD.match(line)
        if m:
            marks.append(("a", m[1], s, e))
    hits = []
    for i, (kind, label, _s, e) in enumerate(marks):
        if kind != "q":
            continue
        nxt = marks[i + 1] if i + 1 < len(marks) else None
        q_end = nxt[2] if nxt else len(text)
        q = _answer_span(text, e, q_end)
        if q is None:
            continue
        a = None
        if nxt and nxt[0] == "a" and nxt[1] == label:
            after = marks[i + 2][2] if i + 2 < len(marks) else len(text)
            a = _answer_span(text, nxt[3], after)
        hits.append(QAHit(label, q, a))
    return hits


@dataclass
class _Q:
    label: str
    start: int
    end: int
    parent: str | None = None
    children: list[str] = field(default_factory=list)


def _question_extent(text: str, line_list: list[tuple[int, int, str]], i: int) -> tuple[int, int]:
    """From line ``i``, the lines that make up the question: up to the line ending in "?" (or a
    request ending in "."), across at most one blank line when the sentence is unfinished."""
    start = line_list[i][0]
    end = line_list[i][1]
    j = i
    while j < len(line_list):
        _s, e, line = line_list[j]
        if j > i and (_NUMBERED.match(line) or _SUB.match(line) or _SECTION.match(line)):
            break
        if line.strip():
            end = e
            body = text[start:end].rstrip()
            nxt_blank = j + 1 >= len(line_list) or not line_list[j + 1][2].strip()
            if (_ENDS_Q.search(body) or body.endswith(":")) and nxt_blank:
                break
            if body.endswith(":") and j + 1 < len(line_list) and _SUB.match(line_list[j + 1][2]):
                break
            if body.endswith(".") and j + 1 < len(line_list) and not line_list[j + 1][2].strip():
                break
        elif j > i:
            body = text[start:end].rstrip()
            if body.endswith((".", "?", ":", "!")):
                break
        if j - i > 25:
            break
        j += 1
    return trim(text, start, end)


def _numbered_questions(text: str) -> list[QAHit]:
    line_list = list(lines(text))
    questions: list[_Q] = []
    prefix = ""
    expected = 1
    context = False
    parent: _Q | None = None
    for i, (s, _e, line) in enumerate(line_list):
        if questions and s < questions[-1].end:
            continue
        sec = _SECTION.match(line)
        if sec and not _NUMBERED.match(line):
            prefix = f"{sec[1]}."
            expected = 1
            parent = None
            context = context or bool(_CONTEXT.search(sec[2]))
            continue
        if _CONTEXT.search(line) and re.match(r"^\s*Bijlage", line):
            context = True
            continue
        num = _NUMBERED.match(line)
        if num and int(num[1]) == expected:
            qs, qe = _question_extent(text, line_list, i)
            body = text[qs:qe].rstrip()
            is_q = bool(_ENDS_Q.search(body)) or (context and body.endswith((".", ":")))
            if body.endswith(":") and i + 1 < len(line_list):
                nxt = next((ln for _, _, ln in line_list[i + 1 :] if ln.strip()), "")
                is_q = is_q or bool(_SUB.match(nxt))
            if is_q:
                context = True
                q = _Q(f"{prefix}{num[1]}", qs, qe)
                questions.append(q)
                parent = q
                expected += 1
            continue
        sub = _SUB.match(line)
        if sub and parent is not None and context:
            qs, qe = _question_extent(text, line_list, i)
            if _ENDS_Q.search(text[qs:qe]):
                label = f"{parent.label}{sub[1]}"
                questions.append(_Q(label, qs, qe, parent=parent.label))
                parent.children.append(label)
    hits: list[QAHit] = []
    for k, q in enumerate(questions):
        region_end = questions[k + 1].start if k + 1 < len(questions) else len(text)
        region_end = _region_end(text, q.end, region_end)
        hits.extend(_pair(text, q, region_end))
    return hits


_SECTION_OR_CLOSING = re.compile(
    r"^\s*(?:[A-H]\.\s+\S|Met vriendelijke groet|Hoogachtend|De [Mm]inister van|"
    r"De [Ss]taatssecretaris van)",
    re.MULTILINE,
)


def _region_end(text: str, start: int, end: int) -> int:
    m = _SECTION_OR_CLOSING.search(text, start, end)
    return m.start() if m else end


def _pair(text: str, q: _Q, region_end: int) -> list[QAHit]:
    """The answer after a question; an unnumbered question inside it (a follow-up such as
    "Indien het antwoord op (3) ontkennend is ...?") becomes its own pair."""
    parts: list[Span] = []
    follow_ups: list[Span] = []
    for b in blocks(text, q.end, region_end):
        c = clean_block(text, b)
        if c is None:
            continue
        body = text[c.start : c.end]
        if _ENDS_Q.search(body) and body[:1].isupper() and parts:
            follow_ups.append(c)
            parts.append(Span(-1, -1))  # separator
            continue
        parts.append(c)
    groups: list[list[Span]] = [[]]
    for p in parts:
        if p.start < 0:
            groups.append([])
        else:
            groups[-1].append(p)
    out = []
    first = groups[0]
    out.append(QAHit(q.label, Span(q.start, q.end), _join(first), parent=q.parent))
    for n, (fq, grp) in enumerate(zip(follow_ups, groups[1:], strict=False), start=1):
        label = f"{q.label} (vervolg)" if n == 1 else f"{q.label} (vervolg {n})"
        out.append(QAHit(label, fq, _join(grp), parent=q.label))
    return out


def _join(spans: list[Span]) -> Span | None:
    return Span(spans[0].start, spans[-1].end) if spans else None


# --------------------------------------------------------------------------------------------
# Decision points and their explanations
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointHit:
    label: str
    span: Span
    explanation: Span | None


_ADVISED = re.compile(
    r"^\s*(?:\d+\.\s*)?(?:Geadviseerd besluit|Beslispunten|Te besluiten)\s*$", re.I
)
_TOP_HEADING = re.compile(r"^\s*\d+\.\s+[A-Z][a-z]")
_SUB_HEADING = re.compile(r"^\s*\d+\.\d+\.?\s+[A-Z]")
_POINT = re.compile(r"^\s*(?:[-•*]\s*)?([a-z])[.)]\s+\S")
_AD = re.compile(r"^\s*Ad\s+([a-z])\)")


def detect_points(text: str) -> list[PointHit]:
    """Lettered points under "Geadviseerd besluit" and their "Ad x)" sections."""
    line_list = list(lines(text))
    points: list[tuple[str, Span]] = []
    inside = False
    for s, e, line in line_list:
        if _ADVISED.match(line):
            inside = True
            continue
        if inside and _TOP_HEADING.match(line):
            inside = False
        if inside:
            m = _POINT.match(line)
            if m:
                points.append((m[1], Span(*trim(text, s + m.start(1), e))))
    ads: dict[str, Span] = {}
    for n, (s, _e, line) in enumerate(line_list):
        m = _AD.match(line)
        if not m or m[1] in ads:
            continue
        end = len(text)
        for s2, _e2, line2 in line_list[n + 1 :]:
            if _AD.match(line2) or _SUB_HEADING.match(line2) or _TOP_HEADING.match(line2):
                end = s2
                break
        ads[m[1]] = Span(*trim(text, s, end))
    return [PointHit(label, span, ads.get(label)) for label, span in points]


# --------------------------------------------------------------------------------------------
# Commitments
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentHit:
    """``kind``: "new" (a promise made in this text: open), "reported" (a promise made
    elsewhere and reported here), "fulfilled" (reported and fulfilled by this text)."""

    kind: str
    span: Span
    deadline: dt.date | None = None
    maker: str | None = None
    response: Span | None = None
    made_to: tuple[str, str] | None = None  # (member, party) for "toezegging aan het lid X (P)"


_NEW = re.compile(
    r"\b(?:[Ii]k zeg\b(?:\s+\S+){0,4}?\s+toe\b|zeg ik\b(?:\s+\S+){0,4}?\s+toe\b|"
    r"[Ww]ij zeggen\b(?:\s+\S+){0,4}?\s+toe\b|zeggen wij\b(?:\s+\S+){0,4}?\s+toe\b)"
)
_REPORTED = re.compile(
    r"(?P<maker>\b(?:[Dd]e|[Hh]et)\s+(?:[Mm]inister|[Ss]taatssecretaris|[Mm]inister-[Pp]resident)"
    r"(?:\s+van\s+[A-Z][\w]*(?:\s+(?:en|van|der|de)?\s*[A-Z][\w]*)*)?)\s+"
    r"(?:zegde|heeft)\b(?:\s+\S+){0,3}?\s+(?:toe|toegezegd)\b"
)
_AS_PROMISED = re.compile(r"\b[Zz]oals\s+(?:eerder\s+|door\s+mij\s+)?toegezegd\b")
_KEPT = re.compile(
    r"\b(?:[Dd]ie|[Dd]eze|[Mm]ijn)\s+toezegging\s+(?:doe|kom)\s+ik\s+(?:hierbij|hiermee)\s+"
    r"(?:gestand|na)\b"
)
_TOEZEGGING_AAN = re.compile(r"\btoezegging(?:en)?\s+(?:gedaan\s+)?aan\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\s+en\s+(?:het\s+lid|de\s+leden)\b|[;.]")


def _clause_end(text: str, start: int, limit: int) -> int:
    """End of "het lid X (P) over ..." before the next member or the end of the sentence."""
    m = _CLAUSE_END.search(text, start, limit)
    return m.start() if m and m.group().strip() not in (".",) else limit


_DEADLINE = re.compile(
    r"\b(?:vóór|voor|uiterlijk(?:\s+op)?|op\s+of\s+voor)\s+" + DATE_RE.pattern, re.IGNORECASE
)


def detect_commitments(text: str) -> list[CommitmentHit]:
    hits: list[CommitmentHit] = []
    for m in _NEW.finditer(text):
        s, e = sentence_at(text, m.start(), m.end())
        d = _DEADLINE.search(text, s, e)
        deadline = parse_date(d[1], d[2], d[3]) if d else None
        hits.append(CommitmentHit("new", Span(s, e), deadline=deadline))
    for m in _REPORTED.finditer(text):
        s, e = sentence_at(text, m.start(), m.end())
        kept = _KEPT.search(text, e, min(len(text), e + 400))
        response = None
        if kept:
            response = Span(*sentence_at(text, kept.start(), kept.end()))
        hits.append(
            CommitmentHit(
                "fulfilled" if response else "reported",
                Span(s, e),
                maker=" ".join(m["maker"].split()),
                response=response,
            )
        )
    for m in _TOEZEGGING_AAN.finditer(text):
        s, e = sentence_at(text, m.start(), m.end())
        for member in _MEMBER.finditer(text, m.end(), e):
            name = " ".join(member["name"].split())
            hits.append(
                CommitmentHit(
                    "reported",
                    Span(member.start(), _clause_end(text, member.end(), e)),
                    made_to=(name, member["party"]),
                )
            )
    for m in _AS_PROMISED.finditer(text):
        s, e = sentence_at(text, m.start(), m.end())
        hits.append(CommitmentHit("fulfilled", Span(s, e), response=Span(s, e)))
    hits.sort(key=lambda h: h.span.start)
    return hits


# --------------------------------------------------------------------------------------------
# Members, motions and appreciations
# --------------------------------------------------------------------------------------------

_NAME = (
    r"(?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en)\s+)*[A-Z](?:[^\W\d_]|['’-])+"
    r"(?:\s{1,8}-?[A-Z](?:[^\W\d_]|['’-])+)?"
)


@dataclass(frozen=True)
class MemberHit:
    name: str
    party: str
    span: Span


_MEMBER = re.compile(
    r"\b(?:het\s+lid|de\s+leden|lid)\s+(?P<name>"
    + _NAME
    + r")\s*\((?P<party>[A-Za-z0-9][\w/-]{0,14})\)"
)


def detect_members(text: str) -> list[MemberHit]:
    """Members named with their party: "het lid Van Zanten (BBB)"."""
    return [
        MemberHit(" ".join(m["name"].split()), m["party"], Span(m.start(), m.end()))
        for m in _MEMBER.finditer(text)
    ]


@dataclass(frozen=True)
class MotionHit:
    """A motion phrase and its submitters as written ("Boomsma", "Van Zanten")."""

    span: Span
    submitters: tuple[str, ...]

    @property
    def key(self) -> str:
        """The CITATIONS.md id used when the text gives no Kamerstuk number."""
        return "motion:" + "-".join(slug(n) for n in self.submitters)


_MOTION = re.compile(
    r"\b[Mm]otie(?:-|\s+van\s+(?:het\s+lid|de\s+leden)\s+|\s+van\s+|\s+)"
    r"(?P<names>" + _NAME + r"(?:\s*(?:,|\ben\b|/)\s*" + _NAME + r")*)(?P<cs>\s+c\.s\.)?"
)
_SUBMITTED = re.compile(
    r"\b(?:door\s+)?het\s+lid\s+(?P<name>" + _NAME + r")\s*\([^)]{1,15}\)\s+(?:een\s+)?motie\b"
)
_NOT_NAMES = {"Kamer", "Tweede", "Minister", "De", "Het", "Een", "In", "Die", "Deze"}


def detect_motions(text: str) -> list[MotionHit]:
    hits: list[MotionHit] = []
    for m in _MOTION.finditer(text):
        names = tuple(
            " ".join(n.split()) for n in re.split(r"\s*(?:,|\ben\b|/)\s*", m["names"]) if n.strip()
        )
        names = tuple(n for n in names if n not in _NOT_NAMES)
        if names:
            hits.append(MotionHit(Span(m.start(), m.start() + len(m[0].rstrip())), names))
    for m in _SUBMITTED.finditer(text):
        hits.append(MotionHit(Span(m.start(), m.end()), (" ".join(m["name"].split()),)))
    hits.sort(key=lambda h: h.span.start)
    return hits


@dataclass(frozen=True)
class AppreciationHit:
    value: str
    span: Span
    trigger: Span


_APPRECIATIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ontraden",
        re.compile(
            r"\bontraad\s+(?:ik|wij|het\s+kabinet)\s+(?:de|deze|die)\s+motie\b|"
            r"\b(?:de|deze)\s+motie\s+(?:wordt\s+|is\s+)?ontraden\b|\bappreciatie:?\s+ontraden\b",
            re.IGNORECASE,
        ),
    ),
    (
        "oordeel-kamer",
        re.compile(
            r"\blaat\s+(?:ik|wij|het\s+kabinet)\b[^.?!]{0,60}?\baan\s+het\s+oordeel\s+van\s+"
            r"(?:de|uw)\s+Kamer\b|\blaat\s+(?:ik|wij|het\s+kabinet)\b[^.?!]{0,60}?\bhet\s+oordeel"
            r"\b[^.?!]{0,40}?\baan\s+(?:de|uw)\s+Kamer\b|\boordeel\s+Kamer\b",
            re.IGNORECASE,
        ),
    ),
    (
        "overgenomen",
        re.compile(
            r"\bneem\s+(?:ik|wij)\s+(?:de|deze)\s+motie\s+over\b|\bmotie\s+(?:is|wordt)\s+"
            r"overgenomen\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ondersteuning-van-beleid",
        re.compile(r"\bals\s+ondersteuning\s+van\s+(?:het\s+)?beleid\b", re.IGNORECASE),
    ),
)


def detect_appreciations(text: str) -> list[AppreciationHit]:
    hits = []
    for value, pattern in _APPRECIATIONS:
        for m in pattern.finditer(text):
            s, e = sentence_at(text, m.start(), m.end())
            hits.append(AppreciationHit(value, Span(s, e), Span(m.start(), m.end())))
    hits.sort(key=lambda h: h.span.start)
    return hits


# --------------------------------------------------------------------------------------------
# End dates of temporary protection
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EndDateHit:
    date: dt.date
    span: Span
    date_span: Span


_END_TRIGGER = re.compile(
    r"(?:tot\s+en\s+met|voorzien\s+voor|verlengd\s+tot|eindigt\s+op|loopt\s+tot|tot)\s+$"
)
_PROTECTION = re.compile(r"\bRTB\b|[Tt]ijdelijke\s+[Bb]escherming|Richtlijn\s+Tijdelijke")


def detect_end_dates(text: str) -> list[EndDateHit]:
    """Statements giving an end date of temporary protection ("tot en met 4 maart 2027")."""
    hits = []
    for m in DATE_RE.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        if not _END_TRIGGER.search(before):
            continue
        s, e = sentence_at(text, m.start(), m.end())
        if not _PROTECTION.search(text, s, e):
            continue
        try:
            date = parse_date(m[1], m[2], m[3])
        except ValueError:
            continue
        hits.append(EndDateHit(date, Span(s, e), Span(m.start(), m.end())))
    return hits

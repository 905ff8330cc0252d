"""The query guard: every user-supplied SPARQL string passes here before any engine sees it.

Why a separate, conservative gate: both engines we build on are unsafe on hostile input (see the
"Public query endpoint" table of the project's threat notes). pyoxigraph runs ``SERVICE`` against
any URL and segfaults on a few thousand nested groups; rdflib's parser raises ``RecursionError``
on the same input and its evaluator dereferences ``FROM <file:///…>``. So the checks run in a
fixed order, cheapest first, and each one protects the next:

1. text: NUL bytes, lone surrogates, invalid UTF-8 → ``invalid_text``;
2. length → ``query_too_long`` (so the later scans are bounded);
3. bracket depth, by a linear scan that skips strings, IRIs and comments → ``query_too_deep``
   (before any recursive-descent parser runs);
4. parse with rdflib's SPARQL *parser only* (never its evaluator) → ``malformed_query`` with the
   line and column; update forms → ``read_only``;
5. walk the parse tree: ``SERVICE`` anywhere → ``service_forbidden``; ``FROM``/``FROM NAMED``
   naming something that cannot be a local graph name (``file:``, relative IRIs, other schemes,
   http(s) IRIs of loopback/private hosts) → ``dataset_forbidden``. Graph names are only ever
   looked up in the store, never fetched; an unknown name is an empty graph (as the SPARQL
   protocol tests expect), or refused when ``strict_graph_names`` is set (checked by the
   worker against the snapshot it queries).

:func:`harden_rdflib` switches off rdflib's network and file access; call it at every entry point
(API start, build, ingest).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from lexgraph.errors import LexgraphError, QueryRejected

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

#: Every graph this service mints lives under this namespace (see :mod:`lexgraph.iris`).
LOCAL_GRAPH_NAMESPACE = "https://w3id.org/lexgraph/graph/"

#: Schemes a graph *name* may use. Names are only ever looked up in the store, never fetched; the
#: scheme list exists so that ``file:`` and friends are refused outright, with a clear message.
GRAPH_NAME_SCHEMES = ("http", "https", "urn")

#: Python frames rdflib's (pyparsing) grammar needs per bracket level, measured on rdflib 7.6:
#: about 38 for nested ``(``, 26 for ``{``; rounded up with headroom.
_FRAMES_PER_LEVEL = 50
_FRAMES_BASE = 2_000

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_FORMS: dict[str, QueryForm] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}

# Tokens that can hide brackets: long strings first, then short strings, IRIs, comments.
# Every alternative is linear (no nested quantifiers), so a 20 kB query scans in microseconds.
_SKIP_OR_BRACKET = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*"
    r"|[{}()\[\]]",
    re.DOTALL,
)
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")

_PROLOGUE = re.compile(
    r"""(?:\s+
         | \#[^\n\r]*
         | (?i:PREFIX)\s*[^\s:]*:\s*<[^<>\s]*>
         | (?i:BASE)\s*<[^<>\s]*>
        )*""",
    re.VERBOSE,
)
_WORD = re.compile(r"[A-Za-z]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")

_recursion_lock = threading.Lock()
#: rdflib's SPARQL grammar is a pyparsing grammar, which is not thread-safe: pyparsing learns
#: each parse action's arity by calling it and catching TypeError, so concurrent first parses
#: refuse valid queries ("<lambda>() missing 1 required positional argument"). Queries are
#: checked on threads, so parsing is serialised (a parse is bounded by the length and depth
#: limits and takes milliseconds).
_parse_lock = threading.Lock()


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed every static check; the text is unchanged."""

    text: str
    form: QueryForm
    #: ``FROM`` IRIs, resolved against the prologue.
    default_graphs: tuple[str, ...]
    #: ``FROM NAMED`` IRIs, resolved against the prologue.
    named_graphs: tuple[str, ...]
    depth: int

    @property
    def returns_graph(self) -> bool:
        """CONSTRUCT/DESCRIBE give RDF; SELECT/ASK give a result set."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def _reject(message: str, code: str, status: int = 400) -> QueryRejected:
    return QueryRejected(message, code=code, status=status)


def check_text(query: str | bytes) -> str:
    """Step 1: the query must be valid Unicode text without NUL characters."""
    if isinstance(query, bytes | bytearray):
        try:
            query = bytes(query).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _reject(
                f"the query is not valid UTF-8 (byte {exc.start})", "invalid_text"
            ) from None
    if not isinstance(query, str):
        raise _reject("the query must be text", "invalid_text")
    if "\x00" in query:
        raise _reject(
            f"the query contains a NUL character at offset {query.index(chr(0))}", "invalid_text"
        )
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _reject(
            f"the query contains a lone surrogate at offset {exc.start}", "invalid_text"
        ) from None
    return query


def bracket_depth(query: str) -> int:
    """Deepest nesting of ``{``, ``(`` and ``[`` together, outside strings, IRIs and comments.

    Linear and recursion-free; unbalanced input is fine (the parser reports it later).
    """
    depth = deepest = 0
    for match in _SKIP_OR_BRACKET.finditer(query):
        token = match.group()
        if token in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
        elif token in _CLOSE:
            depth = max(depth - 1, 0)
    return deepest


def leading_keyword(query: str) -> str | None:
    """The first keyword after the prologue (PREFIX/BASE/comments), upper-cased."""
    prologue = _PROLOGUE.match(query)
    rest = query[prologue.end() if prologue else 0 :]
    word = _WORD.match(rest)
    return word.group().upper() if word else None


def _ensure_recursion_headroom(max_depth: int) -> None:
    """rdflib's grammar recurses ~40 Python frames per bracket level; raise the limit to fit.

    The depth pre-check guarantees no parse needs more than this, so the limit stays bounded.
    """
    needed = _FRAMES_BASE + _FRAMES_PER_LEVEL * max_depth
    if sys.getrecursionlimit() < needed:
        with _recursion_lock:
            if sys.getrecursionlimit() < needed:
                sys.setrecursionlimit(needed)


def _parse(query: str, max_depth: int) -> Any:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    _ensure_recursion_headroom(max_depth)
    try:
        with _parse_lock:
            return parseQuery(query)
    except ParseBaseException as exc:
        keyword = leading_keyword(query)
        if keyword in _UPDATE_KEYWORDS:
            raise _read_only(keyword) from None
        msg = str(exc.msg)
        if len(msg) > 200:
            msg = msg[:200] + "…"
        line_text = exc.line.strip()
        if len(line_text) > 120:
            line_text = line_text[:120] + "…"
        raise _reject(
            f"malformed query at line {exc.lineno}, column {exc.col}: {msg}"
            + (f" (in: {line_text!r})" if line_text else ""),
            "malformed_query",
        ) from None
    except RecursionError:
        raise _reject("the query is nested too deeply to parse", "query_too_deep") from None
    except LexgraphError:
        raise
    except Exception as exc:  # parse actions raise plain exceptions on bad terms
        raise _reject(f"malformed query: {_short(exc)}", "malformed_query") from None


def _term_text(term: Any) -> str:
    """A parse-tree term for a message: IRI, variable or prefixed name."""
    from rdflib.term import Node

    if isinstance(term, Node):
        return str(term.n3())
    if isinstance(term, dict) and "prefix" in term:
        return f"{dict.get(term, 'prefix') or ''}:{dict.get(term, 'localname') or ''}"
    return ""


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def _read_only(keyword: str | None) -> QueryRejected:
    return _reject(
        f"this endpoint is read-only: {keyword or 'SPARQL Update'} is not accepted; "
        "documents are added through the authenticated ingest API",
        "read_only",
        403,
    )


def _walk(root: Any) -> Iterable[Any]:
    """Every node of an rdflib parse tree, iteratively (the tree can be deep)."""
    from pyparsing import ParseResults

    stack: list[Any] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, dict):  # CompValue is an OrderedDict
            stack.extend(node.values())
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend(node)


def check_graph_name(iri: str, where: str) -> str:
    """A graph name must be an absolute IRI in a name-only scheme; never ``file:`` and the like."""
    scheme = _SCHEME.match(iri)
    if not scheme:
        raise _reject(
            f"{where} <{iri}> is not an absolute IRI; name a graph of this store",
            "dataset_forbidden",
        )
    if scheme.group(1).lower() not in GRAPH_NAME_SCHEMES:
        raise _reject(
            f"{where} <{iri}> is refused: lexgraph never reads files or fetches graphs; "
            "name a graph of this store",
            "dataset_forbidden",
        )
    if any(c in iri for c in '<>" {}|\\^`') or any(ord(c) <= 0x20 for c in iri):
        raise _reject(f"{where} <{iri}> is not a valid IRI", "dataset_forbidden")
    if _internal_host(iri):
        raise _reject(
            f"{where} <{iri}> is refused: it points at a loopback, private or link-local "
            "address; lexgraph never fetches graphs, and no graph of this store is named so",
            "dataset_forbidden",
        )
    return iri


def _internal_host(iri: str) -> bool:
    """True for http(s) IRIs whose host is localhost or a non-public IP literal (SSRF probes)."""
    import ipaddress
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(iri)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return True  # unparseable authority: not a usable graph name either
    if parts.scheme.lower() not in ("http", "https"):
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def _dataset(tree: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from rdflib.plugins.sparql.algebra import translatePrologue

    # CompValue.get(key) returns the key itself when absent, hence dict.get throughout.
    clauses = dict.get(tree[1], "datasetClause") or []
    if not clauses:
        return (), ()
    try:
        prologue = translatePrologue(tree[0], None)
    except Exception as exc:
        raise _reject(f"malformed query prologue: {_short(exc)}", "malformed_query") from None
    default: list[str] = []
    named: list[str] = []
    for clause in clauses:
        is_named = "named" in clause
        raw = dict.get(clause, "named") if is_named else dict.get(clause, "default")
        try:
            iri = str(prologue.absolutize(raw))
        except Exception as exc:
            raise _reject(f"malformed query: {_short(exc)}", "malformed_query") from None
        where = "FROM NAMED" if is_named else "FROM"
        (named if is_named else default).append(check_graph_name(iri, where))
    return tuple(default), tuple(named)


def check_query(query: str | bytes, *, max_length: int, max_depth: int) -> CheckedQuery:
    """Run every static check; return the query's form and dataset, or raise QueryRejected.

    Never evaluates anything and never touches the network or the file system.
    """
    text = check_text(query)
    if len(text) > max_length:
        raise _reject(
            f"the query is {len(text)} characters long; the limit is {max_length}",
            "query_too_long",
            413,
        )
    if not text.strip():
        raise _reject("the query is empty", "malformed_query")
    depth = bracket_depth(text)
    if depth > max_depth:
        raise _reject(
            f"the query nests brackets {depth} deep; the limit is {max_depth}",
            "query_too_deep",
        )
    keyword = leading_keyword(text)
    if keyword in _UPDATE_KEYWORDS:
        raise _read_only(keyword)
    tree = _parse(text, max_depth)
    form = _FORMS.get(getattr(tree[1], "name", ""))
    if form is None:  # pragma: no cover - the query grammar has exactly four forms
        raise _reject("unsupported query form", "malformed_query")
    for node in _walk(tree):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            term = dict.get(node, "term")
            name = _term_text(term)
            raise _reject(
                f"SERVICE {name} is refused: "
                "this endpoint makes no requests on a query's behalf; run federated queries "
                "from your own SPARQL client",
                "service_forbidden",
            )
    default, named = _dataset(tree)
    return CheckedQuery(text, form, default, named, depth)


def check_protocol_graphs(
    default_graph_uris: Iterable[str], named_graph_uris: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The same name-only rule for the ``default-graph-uri``/``named-graph-uri`` parameters."""
    default = tuple(check_graph_name(iri, "default-graph-uri") for iri in default_graph_uris)
    named = tuple(check_graph_name(iri, "named-graph-uri") for iri in named_graph_uris)
    return default, named


def harden_rdflib() -> None:
    """Stop rdflib from reading files or the network on a query's or a document's behalf.

    - ``SPARQL_LOAD_GRAPHS = False``: rdflib's evaluator no longer loads ``FROM`` graphs (we
      never evaluate user queries with rdflib, but trusted code might).
    - JSON-LD: remote and file ``@context``/``@import`` are refused by replacing the JSON-LD
      parser's document loader with one that raises.
    Idempotent; call it at API start and in the build and ingest entry points.
    """
    import rdflib.plugins.sparql as rdflib_sparql

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    try:
        from rdflib.plugins.shared.jsonld import context as jsonld_context
    except ImportError:  # pragma: no cover - rdflib without JSON-LD support
        return

    def _refuse_remote(source: Any, *args: Any, **kwargs: Any) -> Any:
        raise LexgraphError(
            f"JSON-LD context {str(source)[:200]!r} is refused: remote and file contexts are "
            "never fetched; inline the context",
            code="remote_context_forbidden",
            status=400,
        )

    # Context._fetch_context (remote @context strings and @import) is the only caller of this
    # name in the context module; the document itself is still read by the parser's own copy.
    jsonld_context.source_to_json = _refuse_remote

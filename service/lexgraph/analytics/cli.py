"""``lexgraph analytics …``: the analytics as aligned tables on the terminal, or JSON (--json).

An unknown or malformed IRI, id or option value prints one line on stderr and exits with 2; a
store that cannot be opened exits with 1. The store is opened read-only, so the commands also
run beside a server using the same store.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from lexgraph.errors import LexgraphError
from lexgraph.settings import get_settings
from lexgraph.store.base import GraphStore, StoreError

analytics_app = typer.Typer(
    name="analytics",
    help="Citation-network analytics: most cited, evidence paths, impact, clusters, timeline.",
    no_args_is_help=True,
    add_completion=False,
)

StoreOpt = Annotated[Path | None, typer.Option("--store", help="Store path (env LEXGRAPH_STORE).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
T = TypeVar("T")
WIDTH = 60


def _fail(message: str, code: int) -> typer.Exit:
    print(f"lexgraph analytics: {message}", file=sys.stderr)
    return typer.Exit(code)


@contextmanager
def _store(path: Path | None) -> Iterator[GraphStore]:
    from lexgraph.store import open_store

    try:
        store = open_store(get_settings(store=path), read_only=True)
    except (StoreError, OSError) as err:
        raise _fail(f"cannot open the store: {err}", 1) from None
    try:
        yield store
    finally:
        # OxigraphStore.close() flushes, which a read-only pyoxigraph store refuses; nothing
        # was written, so there is nothing to lose
        with suppress(RuntimeError):
            store.close()


def _run(path: Path | None, job: Callable[[GraphStore], T]) -> T:
    with _store(path) as store:
        try:
            return job(store)
        except LexgraphError as err:
            raise _fail(err.message, 2 if err.status < 500 else 1) from None


def _cell(value: Any, full: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}"
    text = " ".join(str(value).split())
    return text if full or len(text) <= WIDTH else text[: WIDTH - 1] + "…"


#: Columns never shortened (IRIs are meant to be copied).
FULL_COLUMNS = frozenset({"iri", "passage"})


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded to their widest cell; numbers right-aligned; long text shortened with …
    except in :data:`FULL_COLUMNS`."""
    cells = [[_cell(v, headers[i] in FULL_COLUMNS) for i, v in enumerate(row)] for row in rows]
    numeric = [
        all(isinstance(row[i], int | float) and not isinstance(row[i], bool) for row in rows)
        and bool(rows)
        for i in range(len(headers))
    ]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in enumerate(values)
        ]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _emit(as_json: bool, data: Any, text: str) -> None:
    from lexgraph.analytics.models import to_json

    if as_json:
        print(json.dumps(to_json(data), ensure_ascii=False, indent=2))
    else:
        print(text)


@analytics_app.command("most-cited")
def most_cited(
    scope: Annotated[
        str, typer.Option(help="Who relies: 'document' or 'policy_point'.")
    ] = "document",
    kind: Annotated[str, typer.Option(help="What is ranked: 'instrument' or 'provision'.")] = (
        "instrument"
    ),
    limit: Annotated[int, typer.Option(help="Number of rows.")] = 20,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """The most relied-on instruments or provisions (in-degree, PageRank)."""
    from lexgraph.analytics.ranking import most_relied_on

    ranked = _run(store, lambda s: most_relied_on(s, scope, kind, limit))  # type: ignore[arg-type]
    relying = "documents" if scope == "document" else "points"
    rows = [
        (i, r.cid, r.pinpoint or "", r.in_degree, r.citations, r.pagerank, r.label)
        for i, r in enumerate(ranked, 1)
    ]
    headers = ("#", "id", "pinpoint", relying, "citations", "pagerank", "label")
    _emit(as_json, ranked, table(headers, rows))


@analytics_app.command("path")
def path(
    iri: Annotated[str, typer.Argument(help="IRI of a policy point, commitment or motion.")],
    to: Annotated[
        str, typer.Option(help="'eu_article' (default) or 'instrument' (any instrument).")
    ] = "eu_article",
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """The shortest evidence path to an EU article, each step with its passage."""
    from lexgraph.analytics.paths import evidence_path

    steps = _run(store, lambda s: evidence_path(s, iri, to))  # type: ignore[arg-type]
    if steps is None:
        if as_json:
            print(json.dumps({"start": iri, "found": False, "steps": []}))
        else:
            print(f"no evidence path from {iri} to {'an EU article' if to == 'eu_article' else to}")
        return
    rows = [
        (i, st.from_label, st.relation, st.to_label, st.passage or "", st.quote or "")
        for i, st in enumerate(steps, 1)
    ]
    text = table(("step", "from", "relation", "to", "passage", "quote"), rows)
    if as_json:
        from lexgraph.analytics.models import to_json

        print(json.dumps({"start": iri, "found": True, "steps": to_json(steps)}, indent=2))
    else:
        print(text)


@analytics_app.command("impact")
def impact(
    cid: Annotated[str, typer.Argument(help="CITATIONS.md id, e.g. celex:32013L0032.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD (default today).")
    ] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Everything that depends on an instrument, flagged when it was repealed or expired."""
    from lexgraph.analytics.impact import impact_set

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise _fail(f"--as-of must be a date YYYY-MM-DD, not {as_of!r}", 2) from None
    result = _run(store, lambda s: impact_set(s, cid, day))
    state = "repealed" if result.repealed else "expired" if result.expired else "in force"
    head = f"{result.cid}  {result.label}\nstatus on {result.as_of.isoformat()}: {state}"
    if result.repealed_by:
        head += f" (repealed by {result.repealed_by}"
        if result.no_longer_in_force:
            head += f", from {result.no_longer_in_force.isoformat()}"
        head += ")"
    if result.ends:
        head += f"; protection it set ended {result.ends.isoformat()}"
    rows = [
        (d.depth, d.kind, d.document_id or "", d.via_repealed, d.cited_after_end, d.label, d.iri)
        for d in result.dependents
    ]
    headers = ("depth", "kind", "document", "via repealed", "cited after end", "label", "iri")
    body = table(headers, rows) if rows else "nothing depends on it"
    _emit(as_json, result, f"{head}\n{len(rows)} dependents\n{body}")


@analytics_app.command("clusters")
def clusters(
    min_weight: Annotated[int, typer.Option(help="Least co-citations for a pair to count.")] = 1,
    level: Annotated[str, typer.Option(help="'passage' (default) or 'document'.")] = "passage",
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Co-citation clusters of instruments."""
    from lexgraph.analytics.clusters import cocitation_clusters

    found = _run(store, lambda s: cocitation_clusters(s, min_weight, level))  # type: ignore[arg-type]
    rows = [(c.id, m.degree, m.cid, m.label) for c in found for m in c.members]
    text = table(("cluster", "weight", "id", "label"), rows) if rows else "no co-citations"
    _emit(as_json, found, text)


@analytics_app.command("timeline")
def timeline(as_json: JsonOpt = False, store: StoreOpt = None) -> None:
    """Periods of temporary protection and every end date the documents state."""
    from lexgraph.analytics.timeline import protection_timeline

    periods = _run(store, protection_timeline)
    rows = [
        (
            p.kind,
            p.start.isoformat() if p.start else "",
            p.end.isoformat(),
            "CONFLICT" if p.conflict else "",
            p.decision or "",
            p.document or "",
            p.quote or "",
        )
        for p in periods
    ]
    headers = ("kind", "start", "end", "conflict", "decision", "document", "quote")
    _emit(as_json, periods, table(headers, rows))


@analytics_app.command("network")
def network(
    iri: Annotated[
        str | None, typer.Option("--iri", help="Only the neighbourhood of this node.")
    ] = None,
    radius: Annotated[int, typer.Option(help="Links from --iri (either direction).")] = 1,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """The citation network: counts by kind and relation, or one node's neighbourhood."""
    from lexgraph.analytics.network import citation_network, neighbourhood, node_link

    def job(s: GraphStore) -> Any:
        return neighbourhood(s, iri, radius) if iri else citation_network(s)

    graph = _run(store, job)
    if as_json:
        print(json.dumps(node_link(graph), ensure_ascii=False, indent=2))
        return
    if iri:
        rows = [
            (graph.nodes[n]["distance"], graph.nodes[n]["kind"], graph.nodes[n]["label"], n)
            for n in sorted(graph, key=lambda n: (graph.nodes[n]["distance"], n))
        ]
        print(table(("distance", "kind", "label", "iri"), rows))
        return
    kinds = Counter(d["kind"] for _, d in graph.nodes(data=True))
    relations = Counter(d["relation"] for _, _, d in graph.edges(data=True))
    print(table(("node kind", "count"), sorted(kinds.items())))
    print()
    print(table(("relation", "count"), sorted(relations.items())))

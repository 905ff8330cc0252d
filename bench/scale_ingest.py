"""Single-document ingest latency (extract + RDF + SHACL gate + commit) on a built store.

    .venv/bin/python bench/scale_ingest.py /tmp/scale/c1k --documents 10

Ingests ``--documents`` new documents of the synthetic corpus (indexes after those already
built) with :func:`lexgraph.ingest.ingest_sync`, exactly as ``POST /documents`` does (validation
in a forked child with the time box), then deletes them again so the store is left as built.
Reports the median and max of the whole ingest (wall clock, and CPU time of the process and
the forked validator, which does not depend on the machine's other load) and, measured
separately on the same documents, of its stages: build (extract + RDF), references (the store's
descriptions of the shared nodes the document names), gate (SHACL, in the forked child),
commit (N-Triples + store transaction, of a document the store does not hold yet, as for a new
document: the stage deletes the just-ingested graph first, untimed). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import document
from lexgraph.build import document_graph_for_ingest
from lexgraph.ingest import (
    IngestMetadata,
    WriteGate,
    document_id_for,
    ingest_sync,
    prepare_ingest,
)
from lexgraph.settings import Settings
from lexgraph.store.oxigraph import OxigraphStore
from lexgraph.validate import referenced_descriptions, shapes_for, validate


def cpu() -> float:
    """CPU seconds of this process and its finished children (the forked validators)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def summary(values: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(values), 1), "max_ms": round(max(values), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    built = len(list((args.data_dir / "sources").glob("*.txt")))
    settings = Settings(store=args.data_dir / "build" / "store", data_dir=args.data_dir)
    store = OxigraphStore(settings.store)
    quads = store.count()
    gate = WriteGate()
    shapes = shapes_for(settings.ontology_dir)
    prepare_ingest(settings)  # as the server does at startup when ingest is enabled
    load_before = os.getloadavg()[0]
    totals: list[float] = []
    cpu_totals: list[float] = []
    stages: dict[str, list[float]] = {"build": [], "references": [], "gate": [], "commit": []}
    stages_cpu: dict[str, list[float]] = {name: [] for name in stages}
    triples: list[int] = []
    context_triples: list[int] = []
    ingested: list[str] = []
    try:
        for k in range(args.documents + 1):  # the first one warms imports and caches
            text, fields = document(args.seed, built + k)
            meta = IngestMetadata(
                title=fields["title"],
                date=fields["date"],
                type="Kamerbrief" if fields["type"] == "parliamentary-letter" else None,
                reference=fields.get("reference"),
            )
            started, cpu_started = time.perf_counter(), cpu()
            result = ingest_sync(settings, store, text, meta, gate)
            total = (time.perf_counter() - started) * 1000
            cpu_total = (cpu() - cpu_started) * 1000
            ingested.append(result.graph)
            # the stages again, one by one, on the same document
            t0, c0 = time.perf_counter(), cpu()
            doc = document_graph_for_ingest(
                settings, text, meta.model_dump(), document_id_for(meta)
            )
            t1, c1 = time.perf_counter(), cpu()
            context = referenced_descriptions(store, doc.graph)
            t2, c2 = time.perf_counter(), cpu()
            report = validate(
                doc.graph, shapes, context=context, timeout=settings.validation_timeout
            )
            store.delete_graph(result.graph)  # committed again below as a new document
            t3, c3 = time.perf_counter(), cpu()
            assert not store.has_graph(result.graph)
            store.replace_graph(result.graph, doc.graph.serialize(format="nt", encoding="utf-8"))
            t4, c4 = time.perf_counter(), cpu()
            assert report.conforms, report.as_text()
            if k == 0:
                continue
            totals.append(total)
            cpu_totals.append(cpu_total)
            triples.append(result.triples)
            context_triples.append(len(context))
            for name, seconds, cpu_seconds in (
                ("build", t1 - t0, c1 - c0),
                ("references", t2 - t1, c2 - c1),
                ("gate", t3 - t2, c3 - c2),
                ("commit", t4 - t3, c4 - c3),
            ):
                stages[name].append(seconds * 1000)
                stages_cpu[name].append(cpu_seconds * 1000)
    finally:
        for graph in ingested:
            store.delete_graph(graph)
        store.close()
    out: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}",
        "python": platform.python_version(),
        "stored_documents": built,
        "stored_quads": quads,
        "ingested": args.documents,
        "triples_per_document_median": statistics.median(triples),
        "referenced_triples_median": statistics.median(context_triples),
        "ingest": summary(totals),
        "ingest_cpu": summary(cpu_totals),
        **{name: summary(values) for name, values in stages.items()},
        **{f"{name}_cpu": summary(values) for name, values in stages_cpu.items()},
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()

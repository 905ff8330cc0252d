"""A stand-in for the build while it is not importable: the policy layer's graphs over the seeds
in an in-memory pyoxigraph store, queried like the real store (union default graph, parameters
bound by substitution). ``conftest.py`` prefers ``lexgraph.build.run_build``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from lexgraph import iris
from lexgraph.extract import extract
from lexgraph.namespaces import LKG
from lexgraph.policy import curation_graph, policy_graph

from .harness import SEED_IDS, seed


def _term(t: Any) -> Any:
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))
    raise TypeError(type(t))


def _json(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != str(XSD.string):
        out["datatype"] = term.datatype.value
    return out


class LocalStore:
    """The select() of lexgraph's GraphStore over an in-memory pyoxigraph store."""

    def __init__(self) -> None:
        self.store = ox.Store()

    def add_graph(self, graph_iri: str, g: Graph) -> None:
        gi = ox.NamedNode(graph_iri)
        for s, p, o in g:
            self.store.add(ox.Quad(_term(s), _term(p), _term(o), gi))

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> dict[str, Any]:
        subs = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items()}
        res = self.store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
        if isinstance(res, ox.QueryBoolean):
            return {"head": {}, "boolean": bool(res)}
        assert isinstance(res, ox.QuerySolutions)
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            rows.append({n: _json(sol[n]) for n in names if sol[n] is not None})
        return {"head": {"vars": names}, "results": {"bindings": rows}}


def build(data_dir: Path) -> LocalStore:
    store = LocalStore()
    for stem, doc_id in SEED_IDS.items():
        d = seed(stem)
        g = Graph()
        doc = iris.document_iri(doc_id)
        g.add((doc, RDF.type, LKG.Document))
        g.add((doc, LKG.documentId, Literal(doc_id)))
        g.add((doc, DCTERMS.title, Literal(stem)))
        g.add((doc, LKG.text, Literal(d.text)))
        g += policy_graph(d, [], extract(d.text), data_dir)
        store.add_graph(str(iris.document_graph(doc_id)), g)
    store.add_graph(str(iris.CURATION_GRAPH), curation_graph(data_dir))
    return store

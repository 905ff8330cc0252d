"""lexgraph: a legal knowledge graph and citation tracker for Dutch migration policy."""

__version__ = "0.1.0"

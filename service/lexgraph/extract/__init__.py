"""Citation extractor (find -> resolve -> annotate)."""

from lexgraph.extract.model import CITATION_TYPES, Citation

EXTRACTOR_NAME = "lexgraph-extract"
EXTRACTOR_VERSION = "0.0.0"


def extract(text: str, document: str | None = None) -> list[Citation]:
    """Return the citations in ``text`` in source order."""
    return []


__all__ = ["CITATION_TYPES", "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "Citation", "extract"]

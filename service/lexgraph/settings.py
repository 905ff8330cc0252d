"""One settings object: command-line options override environment variables override defaults.

Nothing is read at import time; call :func:`get_settings` (or build :class:`Settings`) when needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _project_root() -> Path:
    # service/lexgraph/settings.py -> project root two levels above the package folder
    return Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Runtime configuration, read from ``LEXGRAPH_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="LEXGRAPH_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: _project_root() / "graph_data")
    ontology_dir: Path = Field(default_factory=lambda: _project_root() / "ontology")
    queries_dir: Path = Field(default_factory=lambda: _project_root() / "queries")
    store: Path = Field(
        default_factory=lambda: _project_root() / "graph_data" / "build" / "store",
        description="Path of the persistent embedded Oxigraph store.",
    )
    backend: Literal["oxigraph", "sparql"] = "oxigraph"
    sparql_query_url: str | None = None
    sparql_update_url: str | None = None
    sparql_gsp_url: str | None = None
    sparql_user: str | None = None
    sparql_password: str | None = None

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1

    ingest_token: str | None = None
    query_timeout: float = 10.0
    result_cap: int = 10_000
    max_query_length: int = 20_000
    max_query_depth: int = 64
    max_body_bytes: int = 5_000_000
    # User-query isolation and quotas (see the "Limits" section of README.md).
    max_result_bytes: int = 20_000_000
    pool_workers: int = 2
    quota_query_seconds_per_minute: float = 60.0
    quota_errors_per_minute: int = 30
    quota_concurrent_queries: int = 4
    strict_graph_names: bool = False
    worker_memory_mb: int = 1024
    #: Seconds SHACL validation of one ingested document may take (then 503, nothing stored).
    validation_timeout: float = 30.0
    #: Seconds a client may take to send a request's head, or between two chunks of its body.
    read_timeout: float = 15.0
    #: Worker processes of ``lexgraph build`` (extraction and SHACL gate); 0 = one per core.
    build_workers: int = 0
    #: Megabytes of N-Quads ``lexgraph build`` sorts in memory before writing them to disk as one
    #: sorted run (the runs are then merged into the dump): the build's memory does not grow with
    #: the corpus.
    build_sort_mb: float = Field(default=64.0, gt=0)

    @property
    def build_dir(self) -> Path:
        return self.data_dir / "build"


def get_settings(**overrides: Any) -> Settings:
    """Settings from the environment with explicit (command-line) overrides applied on top."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)

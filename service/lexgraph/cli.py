"""Command line: a thin layer over the library (``lexgraph --help``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lexgraph.analytics.cli import analytics_app
from lexgraph.settings import get_settings

app = typer.Typer(
    name="lexgraph",
    help="Legal knowledge graph and citation tracking for Dutch migration policy.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(analytics_app, name="analytics")

StoreOpt = Annotated[Path | None, typer.Option("--store", help="Store path (env LEXGRAPH_STORE).")]
DataOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="graph_data folder (env LEXGRAPH_DATA_DIR).")
]


@app.command()
def extract(
    files: Annotated[list[str], typer.Argument(help="UTF-8 text files, or - for stdin.")],
) -> None:
    """Print the citations of each input as JSON Lines (see CITATIONS.md)."""
    from lexgraph.extract.cli import run

    raise typer.Exit(run(files))


@app.command()
def build(
    store: StoreOpt = None,
    data_dir: DataOpt = None,
    if_needed: Annotated[
        bool, typer.Option("--if-needed", help="Skip when the store is up to date.")
    ] = False,
    progress: Annotated[
        bool,
        typer.Option("--progress", help="Show progress on stderr (default when it is a terminal)."),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Worker processes (env LEXGRAPH_BUILD_WORKERS; 0 = cores)."),
    ] = None,
) -> None:
    """Build the graph from graph_data/, validate it with SHACL and load it into the store."""
    from lexgraph.build import run_build

    settings = get_settings(store=store, data_dir=data_dir, build_workers=workers)
    raise typer.Exit(run_build(settings, if_needed=if_needed, progress=progress))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind.")] = None,
    store: StoreOpt = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="uvicorn worker processes; several on the embedded store serve it read-only "
            "(README: Scale-out)."
        ),
    ] = None,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the web pages."""
    from lexgraph.api.server import serve as run_server

    settings = get_settings(host=host, port=port, store=store, workers=workers)
    raise typer.Exit(run_server(settings))


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="UTF-8 text of the document.")],
    meta: Annotated[
        Path, typer.Option("--meta", help="Metadata (.toml or .json): title, date, type, ...")
    ],
    store: StoreOpt = None,
) -> None:
    """Add or replace one document in the store: extract, build RDF, SHACL gate, commit."""
    from lexgraph.ingest import run_cli

    raise typer.Exit(run_cli(get_settings(store=store), file, meta))


def main() -> None:
    app()

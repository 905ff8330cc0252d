"""Run the app under uvicorn (``lexgraph serve``).

One worker runs the app object built here (the embedded store is opened by one process; several
workers need the SPARQL server backend). Several workers each import the app factory
(:func:`lexgraph.api.app.create_app_from_env`) and build their own app and store handle, so the
settings travel to them as ``LEXGRAPH_*`` environment variables.
"""

from __future__ import annotations

import os
import sys

import uvicorn

from lexgraph.api.app import create_app
from lexgraph.settings import Settings

FACTORY = "lexgraph.api.app:create_app_from_env"


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as the ``LEXGRAPH_*`` variables that rebuild them in another process."""
    env = {}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"LEXGRAPH_{name.upper()}"] = str(value)
    return env


def serve(settings: Settings) -> int:
    """Serve until interrupted; non-zero when the server could not start (e.g. port in use)."""
    if settings.workers > 1 and settings.backend == "oxigraph":
        # RocksDB lets one process open the store: the other workers would serve 503s
        print(
            "lexgraph serve: several workers need a shared store (LEXGRAPH_BACKEND=sparql); "
            "the embedded Oxigraph store is opened by one process. Use --workers 1.",
            file=sys.stderr,
        )
        return 2
    if settings.workers > 1:
        os.environ.update(settings_env(settings))
        # uvicorn supervises several worker processes only through uvicorn.run
        uvicorn.run(
            FACTORY,
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            timeout_keep_alive=5,
            server_header=False,
        )
        return 0
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        timeout_keep_alive=5,
        server_header=False,
    )
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1

"""Static files of the query page under ``/static`` (own script + YASGUI from node_modules)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from lexgraph.api.query_page import STATIC_DIR, YASGUI_DIR, yasgui_installed

router = APIRouter()


def mount(app: FastAPI) -> None:
    """Mount YASGUI's build folder (when npm installed it) before the page's own static folder."""
    if yasgui_installed():
        app.mount("/static/yasgui", StaticFiles(directory=YASGUI_DIR), name="yasgui")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

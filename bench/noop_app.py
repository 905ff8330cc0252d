"""A do-nothing endpoint, served by uvicorn like ``lexgraph serve``: the ceiling of the HTTP
layer on this machine, for ``bench/scale_http.py``.

    .venv/bin/python -m uvicorn noop_app:app --app-dir bench --workers 2 --port 8100
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/noop")
def noop() -> dict[str, bool]:
    return {"ok": True}

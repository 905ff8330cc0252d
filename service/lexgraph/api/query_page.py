"""The SPARQL query page: YASGUI served from ``/static`` (installed from npm, never a CDN), with
the named queries of ``settings.queries_dir`` offered as examples.

The named queries are read when the page is requested, so a new ``.rq`` file shows up without a
restart. The page carries no inline script: the examples travel as a JSON data block that
``/static/lexgraph-query.js`` reads.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from lexgraph.settings import Settings

WEB_DIR = Path(__file__).resolve().parent / "web"
STATIC_DIR = WEB_DIR / "static"
YASGUI_DIR = WEB_DIR / "node_modules" / "@zazuko" / "yasgui" / "build"

_HEADER_FIELD = re.compile(r"^#\s*(title|description)\s*:\s*(.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    query: str


def yasgui_installed() -> bool:
    return (YASGUI_DIR / "yasgui.min.js").is_file()


def named_queries(queries_dir: Path) -> list[Example]:
    """Every ``*.rq`` in ``queries_dir``, titled from its ``# title:`` header line if any."""
    if not queries_dir.is_dir():
        return []
    examples = []
    for path in sorted(queries_dir.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        fields: dict[str, str] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            m = _HEADER_FIELD.match(line)
            if m:
                fields.setdefault(m[1].lower(), m[2])
        examples.append(
            Example(
                name=path.stem,
                title=fields.get("title", path.stem),
                description=fields.get("description", ""),
                query=text,
            )
        )
    return examples


def _json_for_html(value: object) -> str:
    """JSON that cannot close the surrounding ``<script>`` element."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def page_html(examples: list[Example], endpoint: str, with_yasgui: bool) -> str:
    items = "\n".join(
        f'<li><button type="button" data-example="{i}" title="{html.escape(e.description)}">'
        f"{html.escape(e.title)}</button></li>"
        for i, e in enumerate(examples)
    )
    data = _json_for_html(
        {
            "endpoint": endpoint,
            "examples": [{"name": e.name, "title": e.title, "query": e.query} for e in examples],
        }
    )
    if with_yasgui:
        editor = (
            '<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">\n'
            '<script src="/static/yasgui/yasgui.min.js" defer></script>\n'
            '<script src="/static/lexgraph-query.js" defer></script>'
        )
    else:
        editor = (
            "<p><strong>The YASGUI editor is not installed</strong> (run <code>make run</code>, "
            "which installs it with npm). The endpoint itself works: see the examples below.</p>"
        )
    pre = "\n".join(
        f"<h3>{html.escape(e.title)}</h3><pre>{html.escape(e.query)}</pre>" for e in examples
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lexgraph — SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{editor}
<script type="application/json" id="lexgraph-config">{data}</script>
<style>
body{{font-family:sans-serif;margin:1rem}} #examples li{{display:inline;margin:0 .3rem}}
</style>
</head>
<body>
<h1>lexgraph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>{html.escape(endpoint)}</code>. The default graph is
the union of all named graphs. Named queries:</p>
<ul id="examples">
{items}
</ul>
<div id="yasgui"></div>
<noscript>{pre}</noscript>
</body>
</html>
"""


async def render_query_page(request: Request) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    examples = await run_in_threadpool(named_queries, settings.queries_dir)
    endpoint = str(request.url.replace(query="", fragment=""))
    return HTMLResponse(
        page_html(examples, endpoint, yasgui_installed()),
        headers={
            "Vary": "Accept",
            "Content-Security-Policy": (
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
            ),
        },
    )

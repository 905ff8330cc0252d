"""HTTP layer: the FastAPI app, its routers (one per resource) and the uvicorn runner.

Nothing here builds engines at import time; :func:`lexgraph.api.app.create_app` does it in the
app's lifespan.
"""

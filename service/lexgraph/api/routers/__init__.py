"""One router per resource; :mod:`lexgraph.api.app` includes them from an explicit list."""

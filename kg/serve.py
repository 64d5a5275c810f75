"""`kg serve`: a local, read-only web explorer over either store.

A Starlette app answers GET requests only. The pages are static files of
kg/assets (explorer.html, .js, .css, and the vendored sigma.js and graphology
bundles, so nothing is fetched from the network); the JSON routes call
:mod:`kg.explore`, which reads through the parameterised library queries that
``kg query`` runs. Nothing a request carries ever becomes Cypher text.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kg import explore
from kg.errors import KgError, QueryError

#: Default address: this machine only. The store's contents are not meant for the network.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

#: Files of kg/assets the explorer serves, and their media types.
ASSETS = {
    "explorer.js": "text/javascript",
    "explorer.css": "text/css",
    "sigma.min.js": "text/javascript",
    "graphology.umd.min.js": "text/javascript",
    "graphology-library.min.js": "text/javascript",
}
#: The page forbids every load from elsewhere: the explorer works offline and leaks nothing.
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                               "script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


#: Three linked dots, so the browser's tab has an icon and asks the server for none other.
_ICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M4 12L8 4L12 12Z" stroke="#57606a" '
         b'fill="none"/><circle cx="4" cy="12" r="2.5" fill="#4e79a7"/><circle cx="8" cy="4" r="2.5" fill="#f28e2b"/>'
         b'<circle cx="12" cy="12" r="2.5" fill="#59a14f"/></svg>')


def _asset(name: str) -> bytes:
    return (files("kg") / "assets" / name).read_bytes()


def create_app(store: Any) -> Starlette:
    """The explorer over ``store``; the caller opens and closes the store."""
    lock = threading.Lock()  # one read at a time: the embedded store's engine is not built for threads

    def read(call: Callable[[], Any]) -> Any:
        with lock:
            return call()

    def api(handler: Callable[[Request], Any]) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            try:
                result = handler(request)
            except QueryError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400, headers=_SECURITY_HEADERS)
            except KgError as exc:
                return JSONResponse({"error": str(exc)}, status_code=503, headers=_SECURITY_HEADERS)
            if isinstance(result, Response):
                return result
            return JSONResponse(result, headers=_SECURITY_HEADERS)
        return endpoint

    def page(request: Request) -> Response:
        return Response(_asset("explorer.html"), media_type="text/html; charset=utf-8", headers=_SECURITY_HEADERS)

    def icon(request: Request) -> Response:
        return Response(_ICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(_asset(name), media_type=ASSETS[name],
                        headers={**_SECURITY_HEADERS, "Cache-Control": "max-age=3600"})

    def search(request: Request) -> Any:
        text = request.query_params.get("q", "")
        return {"query": text, "results": read(lambda: explore.search(store, text))}

    def entity(request: Request) -> Any:
        entity_id = request.query_params.get("id", "")
        found = read(lambda: explore.entity_page(store, entity_id))
        if found is None:
            return JSONResponse({"error": f"no entity has the id {entity_id!r}"}, status_code=404,
                                headers=_SECURITY_HEADERS)
        return found.as_dict()

    def view(request: Request) -> explore.NetworkView:
        params = dict(request.query_params)
        expand = [i for i in params.get("expand", "").split(",") if i]
        return read(lambda: explore.network(store, expand, explore.Filters.parse(params)))

    def network(request: Request) -> Any:
        return view(request).as_dict()

    def network_graphml(request: Request) -> Response:
        return Response(explore.graphml(view(request)), media_type="application/graphml+xml",
                        headers={**_SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="kg-view.graphml"'})

    def evidence(request: Request) -> Any:
        q = request.query_params
        filters = explore.Filters.parse(dict(q))
        return {"evidence": read(lambda: explore.pair_evidence(
            store, q.get("subject", ""), q.get("object", ""), q.get("relation", ""), filters))}

    def facets(request: Request) -> Any:
        return {"store": store.description, **read(lambda: explore.facets(store))}

    return Starlette(routes=[
        Route("/", page),
        Route("/favicon.ico", icon),
        Route("/assets/{name}", asset),
        Route("/api/search", api(search)),
        Route("/api/entity", api(entity)),
        Route("/api/network", api(network)),
        Route("/api/network.graphml", api(network_graphml)),
        Route("/api/evidence", api(evidence)),
        Route("/api/facets", api(facets)),
    ])


def bind(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> socket.socket:
    """A listening socket, bound before the server starts: a port in use is an
    OSError for the caller, and port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def server(store: Any, on_ready: Callable[[], None] | None = None) -> uvicorn.Server:
    """A uvicorn server for the explorer over ``store``; run it with ``.run(sockets=[bind(...)])``.

    Reads the store once first, so the embedded store's graph is in memory
    before the first request."""
    explore.facets(store)
    instance = uvicorn.Server(uvicorn.Config(create_app(store), log_level="warning", access_log=False))
    if on_ready is not None:
        original = instance.startup

        async def startup(sockets=None):
            await original(sockets=sockets)
            if instance.started:
                on_ready()

        instance.startup = startup  # type: ignore[method-assign]
    return instance


def serve(store: Any, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the explorer until interrupted; ``on_ready`` gets the address once it listens."""
    sock = bind(host, port)
    url = address(host, sock.getsockname()[1])
    server(store, on_ready=(lambda: on_ready(url)) if on_ready else None).run(sockets=[sock])


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"

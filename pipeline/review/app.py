"""The review web app: the page, its JSON API, and the files it shows.

Every request must carry the session's token (`?token=` in the URL, or the `X-Review-Token`
header): without it the answer is 403, whatever the path. Files are served only from the
output folder (`pipeline.review.paths`) and the plan's own source video.

    GET  /                     the page            GET /static/<name>  its script and style
    GET  /api/state            plan, words, outputs, version, render status
    POST /api/edit             {"version", "edit"}: one edit (`pipeline.review.edits`)
    POST /api/undo             {"version"}: put back the last edit
    POST /api/render           start rendering what changed; GET /api/render: its progress
    GET  /files/<path>         an output            GET /source: the source video
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from pipeline.core.errors import MakeClipsError, PlanError
from pipeline.core.settings import Settings
from pipeline.review.paths import inside
from pipeline.review.rendering import Renderer
from pipeline.review.session import Session, StaleVersion, error_place

STATIC = {"review.js": "text/javascript", "review.css": "text/css"}


def create_app(folder: Path, settings: Settings, duration: float, token: str) -> Starlette:
    """The app reviewing `folder`, rendering with `settings`; `duration`: the source's length."""
    session = Session(folder, duration)
    renderer = Renderer(folder, settings)

    async def page(request: Request) -> Response:
        # The token is URL-safe base64: it can stand in the page's links as it is.
        html = _static("index.html").replace(b"__TOKEN__", token.encode())
        return Response(html, media_type="text/html; charset=utf-8")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", status_code=404)
        return Response(_static(name), media_type=f"{STATIC[name]}; charset=utf-8")

    async def state(request: Request) -> Response:
        return JSONResponse(_state(session, renderer))

    async def edit(request: Request) -> Response:
        body = await _body(request)
        change = body.get("edit")
        change = change if isinstance(change, dict) else {}
        return _change(lambda: session.edit(str(body.get("version")), change))

    async def undo(request: Request) -> Response:
        body = await _body(request)
        return _change(lambda: session.undo(str(body.get("version"))))

    def _change(action: Callable[[], None]) -> Response:
        if renderer.running:
            return _refusal(409, "a render is running: wait for it to finish, then edit")
        try:
            action()
        except StaleVersion as exc:
            return _refusal(409, str(exc), stale=True)
        except PlanError as exc:
            message = str(exc).strip()
            return JSONResponse({"error": message, **error_place(message)}, status_code=422)
        except MakeClipsError as exc:
            return _refusal(500, str(exc))
        return JSONResponse(_state(session, renderer))

    async def render(request: Request) -> Response:
        if request.method == "POST" and not renderer.start():
            return _refusal(409, "a render is already running")
        return JSONResponse(renderer.status())

    async def output_file(request: Request) -> Response:
        path = inside(folder, request.path_params["path"])
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, headers={"Cache-Control": "no-store"})

    async def source(request: Request) -> Response:
        try:
            path = Path(json.loads((folder / "plan.json").read_text(encoding="utf-8"))["source"])
        except (OSError, ValueError, KeyError, TypeError):
            return PlainTextResponse("the plan names no source", status_code=404)
        if not path.is_file():
            return PlainTextResponse("the source video is not there any more", status_code=404)
        return FileResponse(path)

    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/api/state", state),
        Route("/api/edit", edit, methods=["POST"]),
        Route("/api/undo", undo, methods=["POST"]),
        Route("/api/render", render, methods=["GET", "POST"]),
        Route("/files/{path:path}", output_file),
        Route("/source", source),
    ]
    app = Starlette(routes=routes)
    app.state.renderer = renderer
    app.add_middleware(TokenRequired, token=token)
    return app


class TokenRequired:
    """Refuse (403) every request that does not carry the session's token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            given = request.query_params.get("token") or request.headers.get("x-review-token")
            if not given or not secrets.compare_digest(given.encode(), self.token.encode()):
                response = PlainTextResponse(
                    "forbidden: open the address make-clips review printed", 403
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _state(session: Session, renderer: Renderer) -> dict[str, Any]:
    try:
        plan, words = session.plan_data(), _words(session)
        problem = ""
    except MakeClipsError as exc:
        plan, words, problem = {"segments": []}, [], str(exc)
    return {
        "version": session.version(),
        "plan": plan,
        "problem": problem,
        "words": words,
        "outputs": _outputs(session.folder),
        "can_undo": bool(session.history),
        "render": renderer.status(),
        "duration": session.duration,
    }


def _words(session: Session) -> list[dict[str, Any]]:
    return [
        {"text": w.text.strip(), "start": w.start, "end": w.end, "unsure": w.unsure}
        for w in session.transcript().words
    ]


def _outputs(folder: Path) -> list[dict[str, Any]]:
    """What the last finished render made, each with a stamp that changes when its file does."""
    try:
        entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError):
        return []
    listed = []
    for entry in entries:
        path = folder / entry["path"]
        if not path.is_file():
            continue
        keys = ("path", "type", "segment", "aspect", "role", "alt", "width", "height")
        listed.append({k: entry.get(k) for k in keys} | {"stamp": path.stat().st_mtime_ns})
    return listed


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _refusal(status: int, message: str, **more: Any) -> JSONResponse:
    return JSONResponse({"error": message, **more}, status_code=status)


def _static(name: str) -> bytes:
    return (resources.files("pipeline.review") / "static" / name).read_bytes()

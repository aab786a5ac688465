"""Serving one output folder for review on 127.0.0.1: a free port, a fresh token, a clean stop."""

from __future__ import annotations

import json
import secrets
import socket
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.core.errors import InputError, PlanError
from pipeline.core.plan_io import load_plan
from pipeline.core.settings import ASPECTS, Settings
from pipeline.hear.probe import probe
from pipeline.review.app import create_app
from pipeline.review.rendering import Renderer

HOST = "127.0.0.1"


@dataclass
class Review:
    """A review server, bound and ready: `url` (with its token) answers once `run` is called."""

    folder: Path
    url: str
    token: str
    server: object  # uvicorn.Server
    sock: socket.socket
    renderer: Renderer | None = None

    def run(self) -> None:
        """Serve until Ctrl-C (or `stop`); a render still running is left to finish its file."""
        import uvicorn

        assert isinstance(self.server, uvicorn.Server)
        try:
            self.server.run(sockets=[self.sock])
        finally:
            self.sock.close()

    @property
    def rendering(self) -> bool:
        """Whether a render started from the page is still running."""
        return bool(self.renderer is not None and self.renderer.running)

    @property
    def render_state(self) -> str:
        """idle, running, done or failed: how the last render from the page went."""
        return self.renderer.state if self.renderer is not None else "idle"

    def finish_render(self) -> None:
        """Wait for a running render to write its last file and the manifest."""
        if self.renderer is not None:
            self.renderer.wait()

    def stop(self) -> None:
        self.server.should_exit = True  # type: ignore[attr-defined]

    @property
    def started(self) -> bool:
        return bool(getattr(self.server, "started", False))


def open_review(folder: Path, settings: Settings, port: int = 0) -> Review:
    """Check `folder` holds a plan to review and bind a server for it (port 0: a free one).

    Clips are rendered in the formats the last render made, unless `settings` names others.

    Raises:
        PlanError: the folder has no readable plan.json. InputError: its source is gone.
    """
    import uvicorn

    folder = Path(folder).resolve()
    plan_file = folder / "plan.json"
    if not plan_file.is_file():
        raise PlanError(f"{folder}: no plan.json here; give the folder make-clips wrote")
    plan = load_plan(plan_file)
    if not (folder / "transcript.json").is_file():
        raise PlanError(f"{folder}: no transcript.json here; run make-clips on the source again")
    media = probe(Path(plan.source))
    formats = rendered_formats(folder)
    if formats and settings.formats == Settings().formats:
        settings = replace(settings, formats=formats)
    token = secrets.token_urlsafe(24)
    app = create_app(folder, settings, media.duration, token)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(64)  # the printed address answers at once: connections queue until served
    except OSError as exc:
        sock.close()
        raise InputError(
            f"cannot listen on {HOST}:{port} ({exc.strerror}); choose another --port"
        ) from exc
    bound = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    url = f"http://{HOST}:{bound}/?token={token}"
    return Review(folder, url, token, server, sock, app.state.renderer)


def rendered_formats(folder: Path) -> tuple[str, ...]:
    """The clip formats the last finished render of `folder` made, in the usual order."""
    try:
        entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["outputs"]
        made = {e.get("aspect") for e in entries if e.get("type") == "clip"}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ()
    return tuple(aspect for aspect in ASPECTS if aspect in made)

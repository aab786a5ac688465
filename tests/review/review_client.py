"""Talking to a review server the way a browser or an attacker would: raw HTTP requests."""

from __future__ import annotations

import http.client
import json

from pipeline.review.server import Review

SECRET = "the neighbour's diary"  # beside the output folder: never to be served


def request(
    review: Review, method: str, target: str, body: object = None, token: bool = True
) -> tuple[int, bytes]:
    """Send `target` exactly as written (no normalising of `..`), with the token if asked."""
    host, port = review.url.split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    if token:
        target += ("&" if "?" in target else "?") + f"token={review.token}"
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    connection.request(method, target, body=data, headers=headers)
    response = connection.getresponse()
    status, payload = response.status, response.read()
    connection.close()
    return status, payload


def current_version(review: Review) -> str:
    """The version of the plan a page loading now would hold."""
    return str(json.loads(request(review, "GET", "/api/state")[1])["version"])


def send_edit(review: Review, version: str, edit: dict) -> tuple[int, dict]:
    """Post one edit as the page does; the status and the decoded answer."""
    status, body = request(review, "POST", "/api/edit", {"version": version, "edit": edit})
    return status, json.loads(body)

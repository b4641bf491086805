"""A real HTTP server on 127.0.0.1 that speaks LanguageTool's HTTP API.

It answers ``GET /v2/languages`` and ``POST``/``GET /v2/check`` with the
JSON shapes LanguageTool sends, so language-tool-python's real client talks
to it exactly as to a LanguageTool server.  Its "grammar" is deterministic:
each planted phrase in :data:`PLANTED` yields one match at the phrase's
offset, with LanguageTool's offsets in UTF-16 code units.

Modes: ``ok`` answers at once; ``hostile`` answers a check with HTTP 500
and an error text that clears the screen and writes the clipboard; ``slow`` sleeps before answering a check
(``slow-once``: only the first check);
``slow-languages`` sleeps before the language list; ``error`` answers a
check with HTTP 500 and a non-JSON body (``hostile-error``: one with
terminal control sequences); ``huge`` streams a 200 MB answer to a check
and counts in ``sent`` the bytes the client took before hanging up.  Every request's form data is
recorded in ``requests`` so tests can assert what was sent.

Tests start one per test (``LTServer().start()``, then ``stop()``), or run
it by hand:
``python tests/ltserver.py`` (prints its URL).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: phrase -> (rule id, category, message, replacements)
PLANTED = {
    "could of": ("COULD_OF", "GRAMMAR", "Did you mean 'could have'?", ["could have"]),
    "a errors": (
        "A_PLURAL",
        "GRAMMAR",
        "Don't use an article before a plural noun.",
        ["errors", "an error"],
    ),
    "is are": ("BE_BE", "GRAMMAR", "Two forms of 'be' in a row.", ["is", "are"]),
    "an Dummy": ("EN_A_VS_AN", "MISC", "Use 'a' instead of 'an'.", ["a"]),
    "run\nwith": ("LINE_SPANNING", "GRAMMAR", "A match across a line break.", ["run with"]),
    "  ": ("WHITESPACE_RULE", "TYPOGRAPHY", "Possible typo: repeated whitespace.", [" "]),
    "Dummy": ("PLACEHOLDER_SEEN", "GRAMMAR", "A placeholder reached the checker.", []),
}

#: An error text that would clear the screen and write the clipboard if printed raw.
HOSTILE_ERROR = "Error: \x1b[2J\x1b]52;c;aGk=\x07 \x9b31m overloaded"

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
]


def _utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def check_response(text: str, language: str, disabled: set[str]) -> dict:
    matches = []
    for phrase, (rule_id, category, message, replacements) in PLANTED.items():
        if rule_id in disabled:
            continue
        start = 0
        while True:
            index = text.find(phrase, start)
            if index < 0:
                break
            start = index + len(phrase)
            offset = _utf16_offset(text, index)
            length = _utf16_offset(text, index + len(phrase)) - offset
            context_start = max(index - 20, 0)
            matches.append(
                {
                    "message": message,
                    "shortMessage": "",
                    "replacements": [{"value": value} for value in replacements],
                    "offset": offset,
                    "length": length,
                    "context": {
                        "text": text[context_start : index + len(phrase) + 20],
                        "offset": index - context_start,
                        "length": len(phrase),
                    },
                    "sentence": text,
                    "type": {"typeName": "Other"},
                    "rule": {
                        "id": rule_id,
                        "description": message,
                        "issueType": "grammar",
                        "category": {"id": category, "name": category.title()},
                    },
                    "ignoreForIncompleteSentence": False,
                    "contextForSureMatch": 0,
                }
            )
    matches.sort(key=lambda m: m["offset"])
    return {
        "software": {
            "name": "LanguageTool",
            "version": "6.4",
            "buildDate": "2024-03-28",
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        "warnings": {"incompleteResults": False},
        "language": {
            "name": "English (US)",
            "code": language,
            "detectedLanguage": {"name": "English (US)", "code": "en-US", "confidence": 0.9},
        },
        "matches": matches,
    }


class LTServer:
    """A LanguageTool look-alike on 127.0.0.1 and a free port."""

    def __init__(self, mode: str = "ok", delay: float = 3.0) -> None:
        self.mode = mode
        self.delay = delay
        self.requests: list[dict[str, str]] = []
        #: Bytes of a ``huge`` answer written before the client hung up.
        self.sent = 0
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _stream_huge(self, size: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(size))
                self.end_headers()
                chunk = b" " * (1024 * 1024)
                try:
                    while server.sent < size and not server._stop.is_set():
                        self.wfile.write(chunk)
                        server.sent += len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _params(self) -> dict[str, str]:
                parsed = urllib.parse.urlsplit(self.path)
                params = dict(urllib.parse.parse_qsl(parsed.query))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    body = self.rfile.read(length).decode("utf-8")
                    params.update(urllib.parse.parse_qsl(body, keep_blank_values=True))
                return params

            def _route(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                params = self._params()
                if path == "/v2/languages":
                    if server.mode == "slow-languages":
                        server._stop.wait(server.delay)
                    self._send(200, json.dumps(LANGUAGES).encode())
                elif path == "/v2/check":
                    server.requests.append(params)
                    if server.mode == "slow" or (
                        server.mode == "slow-once" and len(server.requests) == 1
                    ):
                        server._stop.wait(server.delay)
                    if server.mode == "error":
                        self._send(500, b"Error: internal server error", "text/plain")
                        return
                    if server.mode == "hostile":
                        self._send(500, HOSTILE_ERROR.encode(), "text/plain")
                        return
                    if server.mode == "hostile-error":
                        self._send(500, b"Error: \x1b]52;c;cHduZWQ=\x07\x1b[2J gone", "text/plain")
                        return
                    if server.mode == "huge":
                        self._stream_huge(200 * 1024 * 1024)
                        return
                    text = params.get("text", "")
                    disabled = set(filter(None, params.get("disabledRules", "").split(",")))
                    answer = check_response(text, params.get("language", "en-US"), disabled)
                    self._send(200, json.dumps(answer).encode())
                elif path == "/v2/healthcheck":
                    self._send(200, b"OK", "text/plain")
                else:
                    self._send(404, b"Not found", "text/plain")

            do_GET = _route
            do_POST = _route

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> LTServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def texts(self) -> list[str]:
        return [request.get("text", "") for request in self.requests]


def dead_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


if __name__ == "__main__":
    lt = LTServer().start()
    print(f"LanguageTool look-alike at {lt.url}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        lt.stop()

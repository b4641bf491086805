"""Grammar checking through LanguageTool, by way of language-tool-python.

Four modes, chosen in ``.kvmwriter.toml`` (``[grammar] mode``) or on the
command line:

``local``
    language-tool-python's own LanguageTool, started on this machine.  Used
    only when already downloaded: nothing here downloads it
    (:func:`download_local` does, when the user asked for it).
``server``
    A self-hosted LanguageTool at ``[grammar] server = "http://..."``.
``public``
    The public API at api.languagetool.org.  Drafts can be embargoed
    security fixes, so the public API is used only when named explicitly
    (``mode = "public"`` or its URL given as the server).
``off``
    No grammar checking.

The default is ``local`` when LanguageTool is already downloaded, else
``off`` with a one-line hint.

Only prose reaches LanguageTool (:mod:`kvmwriter.text.prose` masks code,
identifiers, SHAs, URLs and quoted text); matches map back to the line and
column of the message.  Results are cached per paragraph, a call is bounded
by a timeout and can be cancelled, and a slow or dead server becomes a
status line ("grammar: server not answering"), never an exception.

``language_tool_python`` is imported only when a check actually runs:
``kvmwriter check`` must start fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kvmwriter.lint.config import ConfigError
from kvmwriter.lint.profile import Profile
from kvmwriter.text.message import Message
from kvmwriter.text.prose import PLACEHOLDER, ProseText, prose_texts

MODES = ("local", "server", "public", "off")
PUBLIC_API = "https://api.languagetool.org"
#: Hosts that are LanguageTool's public service: naming one is opting in.
PUBLIC_HOSTS = ("api.languagetool.org", "languagetool.org", "www.languagetool.org")
DOWNLOAD_COMMAND = "kvmwriter grammar --download"
DEFAULT_TIMEOUT = 5.0
#: Extra time the first check in local mode may take to start Java.
LOCAL_STARTUP_SECONDS = 60.0
#: After a timeout, calls answer at once with the status for this long
#: instead of waiting for a dead server again.
RETRY_AFTER_SECONDS = 30.0

STATUS_OFF = "grammar: off"
STATUS_NOT_ANSWERING = "grammar: server not answering"
STATUS_CANCELLED = "grammar: cancelled"


class GrammarConfigError(ConfigError):
    """A ``[grammar]`` section with bad values."""


@dataclass(frozen=True)
class GrammarSettings:
    """Where and how to check grammar; see :func:`resolve_settings`."""

    mode: str = "off"
    server: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    language: str = "en-US"
    disabled_rules: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()
    #: Rules about the following word (a/an): dropped before a placeholder.
    next_word_rules: tuple[str, ...] = ()
    #: Why the mode is "off" or cannot run, for a one-line hint.
    hint: str | None = None
    #: For local mode: the downloaded LanguageTool's version ("6.8").
    local_version: str | None = None


@dataclass(frozen=True)
class GrammarIssue:
    """One LanguageTool match, placed in the message."""

    line: int
    column: int
    #: Length in characters on ``line`` (clipped to the line).
    length: int
    rule_id: str
    message: str
    replacements: tuple[str, ...] = ()
    category: str = ""
    #: The match runs onto a following line (no single-line fix applies).
    spans_lines: bool = False


@dataclass
class GrammarResult:
    issues: list[GrammarIssue] = field(default_factory=list)
    #: A status line when not every paragraph was checked (timeout, server
    #: down, cancelled, off); ``None`` when all went well.
    status: str | None = None

    @property
    def complete(self) -> bool:
        return self.status is None


# -- settings ---------------------------------------------------------------


def is_public_url(url: str) -> bool:
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/", 1)[0].split(":", 1)[0]
    return host in PUBLIC_HOSTS


def normalize_server(url: str) -> str:
    """``host:8081``, ``http://host:8081/v2/`` -> ``http://host:8081``."""
    url = url.strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url):
        url = "http://" + url
    url = url.rstrip("/")
    url = url.removesuffix("/v2")
    return url


def local_languagetool_dir() -> Path | None:
    """The downloaded LanguageTool, found without downloading or creating anything.

    Looks where language-tool-python keeps it: ``$LTP_JAR_DIR_PATH``, else
    ``$LTP_PATH`` or ``~/.cache/language_tool_python``.
    """
    jar_dir = os.environ.get("LTP_JAR_DIR_PATH")
    if jar_dir:
        return Path(jar_dir) if Path(jar_dir).is_dir() else None
    base = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    if not base.is_dir():
        return None
    found = [
        path
        for path in base.glob("LanguageTool-*")
        if path.is_dir() and any(path.glob("languagetool*.jar"))
    ]
    if not found:
        return None
    return max(found, key=lambda path: _version_key(path.name))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def _local_version(path: Path) -> str | None:
    match = re.match(r"LanguageTool-(\d+\.\d+|\d{8}|latest)", path.name)
    return match.group(1) if match else None


def resolve_settings(
    section: Mapping[str, Any] | None, profile: Profile, *, server: str | None = None
) -> GrammarSettings:
    """Grammar settings from a config's ``[grammar]`` table and the profile.

    ``server`` is a URL named for one run (``--grammar-server``); it wins
    over the config.  Raises :class:`GrammarConfigError` for bad values.
    """
    section = dict(section or {})
    known = {"mode", "server", "timeout", "language"}
    unknown = sorted(set(section) - known)
    if unknown:
        raise GrammarConfigError(
            f"[grammar]: unknown key {unknown[0]!r} (expected mode, server, timeout, language)"
        )
    data = profile.grammar
    timeout = section.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise GrammarConfigError("[grammar] timeout must be a positive number of seconds")
    language = section.get("language", data.language)
    if not isinstance(language, str) or not language:
        raise GrammarConfigError('[grammar] language must be a language code like "en-US"')
    common: dict[str, Any] = {
        "timeout": float(timeout),
        "language": language,
        "disabled_rules": data.disabled_rules,
        "disabled_categories": data.disabled_categories,
        "next_word_rules": data.next_word_rules,
    }
    mode = section.get("mode")
    configured_server = section.get("server")
    if mode is not None and mode not in MODES:
        raise GrammarConfigError(f"[grammar] mode must be one of {', '.join(MODES)} (got {mode!r})")
    if configured_server is not None and not isinstance(configured_server, str):
        raise GrammarConfigError("[grammar] server must be a URL string")

    if server:
        url = normalize_server(server)
        return GrammarSettings(
            mode="public" if is_public_url(url) else "server", server=url, **common
        )
    if mode is None:
        mode = "server" if configured_server else ("local" if local_languagetool_dir() else "off")
        if mode == "off":
            return GrammarSettings(
                mode="off",
                hint=(
                    "grammar: off (LanguageTool is not downloaded: run "
                    f"'{DOWNLOAD_COMMAND}', or set [grammar] server = URL)"
                ),
                **common,
            )
    if mode == "off":
        return GrammarSettings(mode="off", hint=STATUS_OFF + ' ([grammar] mode = "off")', **common)
    if mode == "public":
        return GrammarSettings(mode="public", server=PUBLIC_API, **common)
    if mode == "server":
        if not configured_server:
            raise GrammarConfigError('[grammar] mode = "server" needs server = "http://host:port"')
        return GrammarSettings(mode="server", server=normalize_server(configured_server), **common)
    # local
    directory = local_languagetool_dir()
    if directory is None:
        return GrammarSettings(
            mode="local",
            hint=(
                f"grammar: LanguageTool is not downloaded; run '{DOWNLOAD_COMMAND}' "
                "first (it asks before downloading)"
            ),
            **common,
        )
    if shutil.which("java") is None:
        return GrammarSettings(
            mode="local", hint="grammar: local LanguageTool needs java on PATH", **common
        )
    return GrammarSettings(mode="local", local_version=_local_version(directory), **common)


def settings_can_run(settings: GrammarSettings) -> bool:
    if settings.mode == "off":
        return False
    if settings.mode == "local":
        return settings.hint is None
    return bool(settings.server)


# -- the checker ------------------------------------------------------------


@dataclass(frozen=True)
class _RawMatch:
    offset: int
    length: int
    rule_id: str
    message: str
    replacements: tuple[str, ...]
    category: str


class GrammarChecker:
    """Check prose paragraphs with LanguageTool; cache, bound and never raise.

    One checker serves many calls (a CLI run, a TUI session): the client
    starts on first use and results are cached by paragraph text, so only
    edited paragraphs go to LanguageTool again.

    ``on_status`` is called with each new status line (from the calling
    thread) so a front end can show it once.
    """

    #: Paragraph texts kept in the cache; the oldest go first beyond this.
    CACHE_SIZE = 4096

    def __init__(
        self, settings: GrammarSettings, on_status: Callable[[str], None] | None = None
    ) -> None:
        self.settings = settings
        self.on_status = on_status
        self.status: str | None = None
        self._client: Any = None
        self._client_lock = threading.Lock()
        self._cache: dict[str, tuple[_RawMatch, ...]] = {}
        self._failure: str | None = None
        self._retry_at = 0.0

    # public API -----------------------------------------------------------

    @property
    def available(self) -> bool:
        return settings_can_run(self.settings)

    def cached(self, text: str) -> bool:
        return text in self._cache

    def check_message(self, message: Message, **kwargs: Any) -> GrammarResult:
        return self.check_paragraphs(prose_texts(message), **kwargs)

    def check_paragraphs(
        self,
        paragraphs: Sequence[ProseText],
        *,
        cancel: threading.Event | None = None,
        timeout: float | None = None,
    ) -> GrammarResult:
        """Check each paragraph; answer within ``timeout`` seconds, whatever happens.

        Cached paragraphs answer at once.  The rest go to LanguageTool in a
        background thread; when ``cancel`` is set or the time is up, the
        call returns what it has with a status line, and any late answers
        still fill the cache for the next call.
        """
        if not self.available:
            return self._finish([], self.settings.hint or STATUS_OFF)
        pending = [p.text for p in paragraphs if _has_words(p.text) and p.text not in self._cache]
        pending = list(dict.fromkeys(pending))
        status: str | None = None
        if pending:
            if self._failure and time.monotonic() < self._retry_at:
                status = self._failure
            else:
                status = self._fetch(pending, cancel, timeout)
        issues: list[GrammarIssue] = []
        for paragraph in paragraphs:
            raw = self._cache.get(paragraph.text)
            if raw:
                issues.extend(self._place(paragraph, raw))
        issues.sort(key=lambda issue: (issue.line, issue.column))
        return self._finish(issues, status)

    def close(self) -> None:
        """Stop a local LanguageTool started by this checker."""
        with self._client_lock:
            client, self._client = self._client, None
        if client is not None and hasattr(client, "close"):
            # Closing must never fail a run.
            with contextlib.suppress(Exception):
                client.close()

    # internals ------------------------------------------------------------

    def _finish(self, issues: list[GrammarIssue], status: str | None) -> GrammarResult:
        if status and status != self.status and self.on_status is not None:
            self.on_status(status)
        self.status = status
        return GrammarResult(issues, status)

    def _fetch(
        self, texts: list[str], cancel: threading.Event | None, timeout: float | None
    ) -> str | None:
        limit = self.settings.timeout if timeout is None else timeout
        if self._client is None and self.settings.mode == "local":
            limit += LOCAL_STARTUP_SECONDS
        done = threading.Event()
        errors: list[str] = []

        def work() -> None:
            try:
                client = self._get_client()
                for text in texts:
                    if cancel is not None and cancel.is_set():
                        return
                    self._store(text, tuple(_raw(m) for m in client.check(text)))
            except Exception as error:  # noqa: BLE001 - any failure becomes a status
                errors.append(_describe_error(error))
            finally:
                done.set()

        # A daemon thread: a hung request must not keep the program alive.
        threading.Thread(target=work, name="kvmwriter-grammar", daemon=True).start()
        deadline = time.monotonic() + limit
        while not done.wait(0.05):
            if cancel is not None and cancel.is_set():
                return STATUS_CANCELLED
            if time.monotonic() >= deadline:
                return self._fail(
                    STATUS_NOT_ANSWERING
                    if self.settings.mode != "local"
                    else "grammar: LanguageTool not answering"
                )
        if errors:
            return self._fail(errors[0])
        if cancel is not None and cancel.is_set():
            return STATUS_CANCELLED
        self._failure = None
        return None

    def _store(self, text: str, matches: tuple[_RawMatch, ...]) -> None:
        while len(self._cache) >= self.CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[text] = matches

    def _fail(self, status: str) -> str:
        self._failure = status
        self._retry_at = time.monotonic() + RETRY_AFTER_SECONDS
        return status

    def _get_client(self) -> Any:
        with self._client_lock:
            if self._client is None:
                self._client = _language_tool_client(self.settings)
            return self._client

    def _place(self, paragraph: ProseText, raw: tuple[_RawMatch, ...]) -> list[GrammarIssue]:
        placed = []
        disabled = set(self.settings.disabled_rules)
        next_word = set(self.settings.next_word_rules)
        for match in raw:
            start, end = match.offset, match.offset + max(match.length, 0)
            if match.rule_id in disabled:
                continue
            if paragraph.touches_mask(start, max(end, start + 1)):
                continue
            if match.rule_id in next_word and paragraph.before_mask(end):
                continue
            line, column = paragraph.locate(start)
            end_line, end_column = paragraph.locate(max(end - 1, start))
            length = end_column - column + 1 if end_line == line else max(match.length, 1)
            placed.append(
                GrammarIssue(
                    line,
                    column,
                    max(length, 1),
                    match.rule_id,
                    match.message,
                    match.replacements,
                    match.category,
                    spans_lines=end_line != line,
                )
            )
        return placed


def _has_words(text: str) -> bool:
    return re.search(r"[A-Za-z]{2,}", text.replace(PLACEHOLDER, "")) is not None


def _raw(match: Any) -> _RawMatch:
    return _RawMatch(
        offset=int(getattr(match, "offset", 0)),
        length=int(getattr(match, "error_length", 0)),
        rule_id=str(getattr(match, "rule_id", "")),
        message=str(getattr(match, "message", "")).strip(),
        replacements=tuple(str(r) for r in (getattr(match, "replacements", None) or ())[:5]),
        category=str(getattr(match, "category", "")),
    )


#: Largest LanguageTool answer read: a real one for a commit message is a
#: few KiB; a server sending more is broken or hostile.
MAX_RESPONSE_BYTES = 4 * 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    """``text`` with control characters shown escaped (ESC as \\x1b)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def bounded_query(
    url: str,
    params: Any,
    *,
    method: str,
    timeout: float,
    proxies: Any = None,
    limit: int = MAX_RESPONSE_BYTES,
) -> Any:
    """POST/GET ``url`` and decode its JSON, reading at most ``limit`` bytes.

    Stream the body so a huge answer is cut off after ``limit`` bytes
    instead of being held in memory whole.
    """
    import requests
    from language_tool_python.exceptions import LanguageToolError

    try:
        if method == "post":
            response = requests.post(
                url, data=params, timeout=timeout, proxies=proxies, stream=True
            )
        else:
            response = requests.get(
                url, params=params, timeout=timeout, proxies=proxies, stream=True
            )
        with response:
            body = response.raw.read(limit + 1, decode_content=True) or b""
            status = response.status_code
        if len(body) > limit:
            raise LanguageToolError(f"answer larger than {limit // (1024 * 1024)} MiB; not read")
    except (OSError, requests.RequestException) as error:
        raise LanguageToolError(f"{url}: {error}") from None
    try:
        return json.loads(body)
    except ValueError:
        snippet = bytes(body[:200]).decode("utf-8", "replace")
        raise LanguageToolError(f"HTTP {status}: {snippet}") from None


def _describe_error(error: BaseException) -> str:
    text = _visible(" ".join(str(error).split()))
    lowered = text.lower()
    if any(
        word in lowered
        for word in (
            "refused",
            "timed out",
            "timeout",
            "connection",
            "max retries",
            "name or service",
        )
    ):
        return STATUS_NOT_ANSWERING
    if len(text) > 120:
        text = text[:117] + "..."
    return f"grammar: LanguageTool failed: {text or type(error).__name__}"


def _language_tool_client(settings: GrammarSettings) -> Any:
    """Build language-tool-python's client for ``settings`` (imported lazily)."""
    import language_tool_python

    class Client(language_tool_python.LanguageTool):
        # Bound every HTTP request by the configured timeout (the library's
        # default is five minutes).
        _TIMEOUT = settings.timeout  # type: ignore[assignment]

        def _query_server(
            self,
            url: str,
            params: Any = None,
            num_tries: int = 2,
            method: Literal["get", "post"] = "get",
        ) -> Any:
            if not self._remote:
                return super()._query_server(url, params, num_tries, method)
            # Bound what a remote server can make the process hold.
            return bounded_query(
                url,
                params,
                method=method,
                timeout=self._TIMEOUT,
                proxies=getattr(self, "_proxies", None),
            )

    if settings.mode in ("server", "public"):
        client = Client(language=settings.language, remote_server=settings.server)
    elif settings.mode == "local":
        # Name the downloaded version so the library never downloads another.
        version = settings.local_version
        if version:
            client = Client(language=settings.language, language_tool_download_version=version)
        else:
            client = Client(language=settings.language)
    else:
        raise RuntimeError(STATUS_OFF)
    client.disabled_rules = set(settings.disabled_rules)
    client.disabled_categories = set(settings.disabled_categories)
    return client


def checker_from_config(
    start: Path | None,
    profile: Profile,
    *,
    on_status: Callable[[str], None] | None = None,
) -> tuple[GrammarChecker | None, str | None]:
    """A checker for the ``.kvmwriter.toml`` that applies in ``start``.

    For front ends that run grammar whenever it can run (the drafting TUI):
    returns ``(None, hint)`` when grammar is off, cannot run or the config
    is bad, so the hint can show as a status line.
    """
    from kvmwriter.lint.config import find_config, load_config

    try:
        config = load_config(find_config(start))
        section = config.sections.get("grammar")
        if section is not None and not isinstance(section, dict):
            raise GrammarConfigError("[grammar] must be a table")
        settings = resolve_settings(section, profile)
    except ConfigError as error:
        return None, f"grammar: {error}"
    notice = f"grammar: {config.notices[0]}" if config.notices else None
    if not settings_can_run(settings):
        return None, notice or settings.hint or STATUS_OFF
    return GrammarChecker(settings, on_status=on_status), notice


def check_draft(
    checker: GrammarChecker,
    linter: Any,
    text: str,
    *,
    cover: bool = False,
    cancel: threading.Event | None = None,
) -> tuple[list[Any], str | None]:
    """Run the ``grammar`` rule alone over ``text``: its findings and the status.

    The findings carry the rule's name, severity (config overrides
    included) and message exactly as ``kvmwriter check --grammar`` reports
    them.
    """
    from kvmwriter.lint.engine import read_message
    from kvmwriter.lint.findings import Finding
    from kvmwriter.lint.rules import get_rule

    message, _email = read_message(text, cover=cover)
    rule = get_rule("grammar")
    ctx = linter.context(extras={"grammar": checker, "grammar_cancel": cancel})
    severity = linter.severity.get(rule.name, rule.severity)
    findings = [
        Finding(
            line=hit.line,
            column=hit.column,
            rule=rule.name,
            severity=hit.severity if hit.severity is not None else severity,
            message=hit.message,
            fix=hit.fix,
        )
        for hit in rule.run(message, ctx)
    ]
    return sorted(findings), ctx.extras.get("grammar_status")


def download_local() -> Path:
    """Download language-tool-python's LanguageTool (the user agreed to it).

    The library shows a progress bar while downloading.  Returns the
    installation folder.
    """
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool

    local = LocalLanguageTool.from_version_name(LTP_DOWNLOAD_VERSION)
    local.download()
    found = local_languagetool_dir()
    if found is None:
        raise OSError("LanguageTool download finished but no installation was found")
    return found


__all__ = [
    "DOWNLOAD_COMMAND",
    "MODES",
    "PUBLIC_API",
    "STATUS_NOT_ANSWERING",
    "GrammarChecker",
    "GrammarConfigError",
    "GrammarIssue",
    "GrammarResult",
    "GrammarSettings",
    "check_draft",
    "checker_from_config",
    "download_local",
    "is_public_url",
    "local_languagetool_dir",
    "normalize_server",
    "resolve_settings",
]

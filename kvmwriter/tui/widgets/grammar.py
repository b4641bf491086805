"""Grammar for the lint panel: LanguageTool in a worker, cancelled by typing.

The lint panel owns one :class:`GrammarRunner`.  After each debounced lint
it starts the grammar rule in a thread worker; an edit cancels the running
check at once (the worker's Event), unchanged paragraphs answer from the
checker's cache, and a slow or dead server becomes the panel's status line
("grammar: server not answering"), never an error.

Grammar runs when the config lets it run without asking: a downloaded local
LanguageTool, a configured server, or the public API named explicitly.
Otherwise the hint shows as the status line and nothing is sent.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from kvmwriter.lint.findings import Finding


class GrammarRunner:
    def __init__(self, panel: Any) -> None:
        self.panel = panel
        self.checker: Any = None
        #: Grammar findings for the latest finished run.
        self.findings: list[Finding] = []
        #: A status line ("grammar: server not answering"), or None.
        self.status: str | None = None
        self._loaded = False
        self._cancel: threading.Event | None = None

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        from kvmwriter.lint.grammar import checker_from_config

        session = self.panel.app.session
        self.checker, hint = checker_from_config(self._start_dir(session), session.profile)
        # Grammar that is simply not set up stays quiet in the editor; a
        # configured one that cannot run says why.
        if hint and not hint.startswith("grammar: off"):
            self.status = hint

    @staticmethod
    def _start_dir(session: Any) -> Path:
        if getattr(session, "repo", None) is not None:
            return Path(session.repo.root)
        if getattr(session, "edit_path", None) is not None:
            return Path(session.edit_path).resolve().parent
        return Path.cwd()

    def cancel(self) -> None:
        """Stop the running check: the text it reads is out of date."""
        if self._cancel is not None:
            self._cancel.set()

    def start(self, text: str, generation: int) -> None:
        self.cancel()
        self._load()
        if self.checker is None:
            return
        cancel = threading.Event()
        self._cancel = cancel
        self.panel.run_worker(
            lambda: self._run(text, generation, cancel),
            thread=True,
            group="grammar",
            exit_on_error=False,
        )

    def _run(self, text: str, generation: int, cancel: threading.Event) -> None:
        from kvmwriter.lint.grammar import check_draft

        session = self.panel.app.session
        try:
            findings, status = check_draft(
                self.checker, session.linter, text, cover=session.cover, cancel=cancel
            )
        except Exception as error:  # noqa: BLE001 - grammar must never take the editor down
            findings, status = [], f"grammar: failed: {error}"
        if cancel.is_set():
            return
        skipped = set(session.profile.drafting.skip_rules)
        findings = [f for f in findings if f.rule not in skipped]
        self.panel.app.call_from_thread(self.panel.grammar_done, generation, findings, status)

    def stop(self) -> None:
        self.cancel()
        if self.checker is not None:
            self.checker.close()

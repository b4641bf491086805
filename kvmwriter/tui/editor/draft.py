"""The editor's draft: the whole text of the file, as typed so far."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EditedText:
    """What the draft store keeps for ``kvmwriter edit``: the text, nothing parsed."""

    text: str

    @classmethod
    def from_json(cls, data: dict) -> EditedText:
        text = data.get("text")
        return cls(text if isinstance(text, str) else "")

    def to_json(self) -> dict:
        return {"text": self.text}

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()

    @property
    def subject(self) -> str:
        """The first line that is not a git comment: what the restore dialog shows."""
        for line in self.text.splitlines():
            if line.strip() and not line.startswith("#"):
                return line
        return ""

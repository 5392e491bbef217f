"""Notices the importer gives about a text: English message ids, translated by Django callers.

Pure Python, like `indicators.parsing`: the parser never imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _(message: str) -> str:
    """Marks a message id for the translation catalogue (makemessages); translated by the caller."""
    return message


@dataclass(frozen=True)
class Notice:
    """One thing the importer noticed (and the user may want to check)."""

    message: str
    params: dict[str, object] = field(default_factory=dict)

    def __init__(self, message: str, **params: object) -> None:
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "params", params)

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message

    def translated(self) -> str:
        from django.utils.translation import gettext

        text = gettext(self.message)
        return text % self.params if self.params else text

"""Errors of input: they name the file, the place in it and what to do (exit 2, never a traceback)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One validation problem: ``location`` is a JSON pointer, ``line N`` or ``row N``."""

    file: str
    location: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}#{self.location}" if self.location else self.file
        return f"{where}: {self.message}" + (f" — {self.fix}" if self.fix else "")


class InputError(Exception):
    """Bad input: a file that is missing, unreadable, or not what it must be.

    Raised by readers at the edge; the CLI prints ``str(error)`` and exits 2. ``issues`` holds every
    problem found when there is more than one.
    """

    def __init__(self, file: str, location: str, message: str, fix: str = "",
                 issues: tuple[Issue, ...] = ()) -> None:
        self.file = file
        self.location = location
        self.message = message
        self.fix = fix
        self.issues = issues or (Issue(file, location, message, fix),)
        super().__init__(str(self.issues[0]) if len(self.issues) == 1 else self._many())

    def _many(self) -> str:
        lines = [f"{self.file}: {len(self.issues)} problems"]
        lines += [f"  - {i}" for i in self.issues]
        return "\n".join(lines)

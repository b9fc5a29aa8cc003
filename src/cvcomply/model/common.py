"""Small value types shared by every stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a fact came from: a file and a place in it.

    ``pointer`` is a JSON pointer (``/components/3/supplier``), ``line N`` for line-based formats,
    or ``row N`` for CSV. ``record_id`` is the record's own id where the format has one
    (a BODS ``recordId``/``statementId``, an LEI, a CycloneDX ``bom-ref``).
    """

    file: str
    pointer: str = ""
    record_id: str | None = None

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}" if self.pointer else self.file


@dataclass(frozen=True, slots=True)
class Reason:
    """One sentence of an explanation and the clause (or policy parameter) it rests on."""

    text: str
    cite: str | None = None


@dataclass(frozen=True, slots=True)
class Warning:
    """A problem a lenient reader could read past (DESIGN.md §4.4): reported, never fatal."""

    source: str
    text: str

"""Small value types shared by every stage."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def fast_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass an ``__init__`` that writes its slots through their descriptors.

    Why: the ``__init__`` dataclasses generates for a frozen class calls ``object.__setattr__`` field by
    field, which made building the findings of a 50k-component screening a large share of its time;
    writing each slot through its descriptor is the same assignment, 2–3× faster. Nothing else changes:
    the signature, defaults and factories are the dataclass's own, and ``__setattr__`` still refuses.
    Apply it above ``@dataclass(frozen=True, slots=True)``.
    """
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    if not dataclasses.is_dataclass(cls) or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__") or any(
            not f.init or f.kw_only for f in params):
        raise TypeError(f"fast_init needs a slotted dataclass with plain fields, not {cls.__name__}")
    env: dict[str, Any] = {"_no_default": dataclasses.MISSING}
    args, body = [], []
    for i, f in enumerate(params):
        env[f"_set{i}"] = cls.__dict__[f.name].__set__
        if f.default is not dataclasses.MISSING:
            env[f"_default{i}"] = f.default
            args.append(f"{f.name}=_default{i}")
            body.append(f"    _set{i}(self, {f.name})")
        elif f.default_factory is not dataclasses.MISSING:
            env[f"_factory{i}"] = f.default_factory
            args.append(f"{f.name}=_no_default")
            body.append(f"    _set{i}(self, _factory{i}() if {f.name} is _no_default else {f.name})")
        else:
            args.append(f.name)
            body.append(f"    _set{i}(self, {f.name})")
    exec(f"def __init__(self, {', '.join(args)}):\n" + "\n".join(body or ["    pass"]), env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    generated = cls.__dict__["__init__"]
    init.__annotations__ = dict(generated.__annotations__)
    init.__doc__ = generated.__doc__
    setattr(cls, "__init__", init)  # noqa: B010 (mypy refuses assigning a method)
    return cls


class Deferred:
    """A value of a :func:`deferrable` field that is worked out when the field is first read, not when the
    object is made. ``value(field)`` gives it (the field's name says which, when one object stands in for
    several fields); the field then holds the value, so it is worked out once.
    """

    __slots__ = ()

    def value(self, field: str) -> object:
        raise NotImplementedError


class _DeferrableField:
    """A slot's descriptor that turns a :class:`Deferred` it holds into its value on first read."""

    __slots__ = ("name", "slot")

    def __init__(self, slot: Any, name: str) -> None:
        self.slot, self.name = slot, name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        v = self.slot.__get__(obj, owner)
        if isinstance(v, Deferred):
            v = v.value(self.name)
            self.slot.__set__(obj, v)
        return v

    def __set__(self, obj: object, value: object) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: object) -> None:
        self.slot.__delete__(obj)


def deferrable(*names: str) -> Callable[[type[T]], type[T]]:
    """Let the fields ``names`` of a frozen, slotted dataclass be given as :class:`Deferred` (see :func:`later`).

    Why: a screening decides every component's verdict, but the texts that explain it (reasons and
    traces, with the component's and its parties' names filled into its class's patterns) are read only
    by the outputs — and on a 50k-component vehicle making them all up front was a third of the screening.
    Every read of the field — attribute access, ``==``, ``hash``, ``repr``, :func:`dataclasses.replace`,
    pickling — sees the value, never the stand-in. Apply it above :func:`fast_init`.
    """

    def wrap(cls: type[T]) -> type[T]:
        for name in names:
            setattr(cls, name, _DeferrableField(cls.__dict__[name], name))
        return cls

    return wrap


def later(deferred: Deferred) -> Any:
    """``deferred`` typed to go where a :func:`deferrable` field's value would (it is read back as the value)."""
    return deferred


def settled(value: T, field: str) -> T:
    """``value`` as a deferrable field ``field`` would read it (a :class:`Deferred` worked out)."""
    return value.value(field) if isinstance(value, Deferred) else value  # type: ignore[return-value]


@fast_init
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


@fast_init
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

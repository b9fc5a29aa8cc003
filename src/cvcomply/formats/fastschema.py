"""A yes/no JSON-schema check fast enough to run on every lenient read (DESIGN.md §4.4).

jsonschema walks a 100k-component CycloneDX BOM in minutes; readers only need to know *whether* a file
is schema-valid, and to list the violations (with jsonschema, which names them well) in the rare case it
is not.

:func:`schema_check` answers with jsonschema-rs (the validator written in Rust): on a 100k-component
CycloneDX 1.6 BOM it takes ~0.3 s where the compiled Python below takes ~2 s, and it builds in
milliseconds, so it needs no cache. It is used as a gate only - "valid" means no warnings, "invalid"
hands the document to jsonschema - and it checks all of draft 7's formats (jsonschema's checker
skips those it has no library for), so where they differ it is the stricter one: a disagreement costs
time, it does not hide a warning. On all 281 CycloneDX JSON files of the shared fixtures and tests
(valid and invalid) both say the same, and on all 736 statements of the shared BODS fixtures (the 0.4
schema, draft 2020-12, and the 0.2/0.3 package schemas, draft-04).

:func:`compiled_validator` is the pure-Python fallback, for a platform without a jsonschema-rs wheel.
fastjsonschema compiles a schema to plain Python; two of its code-generation habits are
replaced here because they dominate the cost on big documents:

* an ``enum`` of strings becomes one set-membership test instead of a chain of ``==`` (CycloneDX's
  licence-id enum has ~700 values and is checked for every licence);
* a ``$ref`` call no longer builds the error path with ``str.format(**locals())`` on every array item
  (``locals()`` of a function with thousands of variables); we never read fastjsonschema's messages;
* ``uniqueItems`` compares items by their canonical JSON (orjson, sorted keys) instead of freezing every
  item into nested frozensets. It differs from JSON-schema equality only for ``1`` vs ``1.0``.

Compiling CycloneDX 1.6 takes seconds, so the compiled code object is cached on disk (marshal), keyed by
the schema content, the Python and fastjsonschema versions; a cache that cannot be written only costs time.
``CVCOMPLY_CACHE_DIR`` overrides the folder (default ``$XDG_CACHE_HOME/cvcomply`` or ``~/.cache/cvcomply``).
"""

from __future__ import annotations

import hashlib
import importlib
import marshal
import os
import re
import sys
import tempfile
import types
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

import fastjsonschema
import orjson
from fastjsonschema import draft07
from fastjsonschema.ref_resolver import RefResolver

__all__ = ["cache_dir", "compiled_validator", "schema_check"]

_GENERATOR_TAG = "cvcomply-fastschema-3"  # change when the generator overrides change
_compiled: dict[Hashable, Callable[[Any], bool]] = {}


_Base: Any = draft07.CodeGeneratorDraft07  # its methods are untyped; we only override code generation


class _Generator(_Base):  # type: ignore[misc]
    """fastjsonschema's draft-07 generator with the three faster habits of the module docstring."""

    def generate_enum(self) -> None:
        enum = self._definition["enum"]
        if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
            with self.l("if not (isinstance({variable}, str) and {variable} in {}):", repr(set(enum))):
                self.exc("{name} must be one of the enum values", rule="enum")
        else:
            super().generate_enum()

    def generate_ref(self) -> None:
        with self._resolver.in_scope(self._definition["$ref"]):
            name = self._resolver.get_scope_name()
            uri = self._resolver.get_uri()
            if uri not in self._validation_functions_done:
                self._needed_validation_functions[uri] = name
            self.l("{}({variable}, custom_formats, name_prefix)", name)

    def generate_unique_items(self) -> None:
        if not self._definition["uniqueItems"]:
            return
        self._extra_imports_objects["_orjson"] = orjson
        self.create_variable_is_list()
        with self.l("if {variable}_is_list:"):
            self.l("{variable}_keys = {{_orjson.dumps(x, option=_orjson.OPT_SORT_KEYS) for x in {variable}}}")
            with self.l("if len({variable}_keys) < len({variable}):"):
                self.exc("{name} must contain unique items", rule="uniqueItems")


def schema_check(key: Hashable, schema: Mapping[str, Any], store: Mapping[str, Any]) -> Callable[[Any], bool]:
    """A function ``doc -> bool`` (schema-valid?) for ``schema``, whose remote ``$ref``s resolve in ``store``.

    jsonschema-rs when it is installed (module docstring; drafts 4 to 2020-12), else :func:`compiled_validator`
    for a draft-07 schema, else a check that always says "invalid" (the caller's jsonschema then judges). Offline:
    a ``$ref`` outside ``store`` is an error when the check is built, never a download.
    """
    fn = _checks.get(key)
    if fn is None:
        fn = _checks[key] = _rust_check(schema, store) or (
            compiled_validator(key, schema, store) if _is_draft7(schema) else _cannot_tell)
    return fn


def _is_draft7(schema: Mapping[str, Any]) -> bool:
    """The compiled fallback generates draft-07 code: other drafts (BODS' 2020-12 and draft-04) it would misjudge."""
    return "draft-07" in str(schema.get("$schema", "draft-07"))


def _cannot_tell(doc: Any) -> bool:
    """The gate without jsonschema-rs for a draft it cannot compile: always "look closer" (costs time, hides
    nothing)."""
    return False


_checks: dict[Hashable, Callable[[Any], bool]] = {}


def _rust_check(schema: Mapping[str, Any], store: Mapping[str, Any]) -> Callable[[Any], bool] | None:
    try:
        import jsonschema_rs
    except ImportError:  # no wheel for this platform: the compiled Python check does the same, slower
        return None
    registry = jsonschema_rs.Registry(resources=[(uri, dict(s)) for uri, s in store.items()])
    validator = jsonschema_rs.validator_for(dict(schema), registry=registry, validate_formats=True, offline=True)

    def check(doc: Any) -> bool:
        try:
            return bool(validator.is_valid(doc))
        except (RecursionError, TypeError, ValueError, OverflowError):  # pathological input: let jsonschema judge
            return False

    return check


def cache_dir() -> Path:
    """Where compiled validators are cached (see module docstring)."""
    if os.environ.get("CVCOMPLY_CACHE_DIR"):
        return Path(os.environ["CVCOMPLY_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cvcomply"


def compiled_validator(key: Hashable, schema: Mapping[str, Any], store: Mapping[str, Any]) -> Callable[[Any], bool]:
    """A function ``doc -> bool`` (schema-valid?) for ``schema``, whose remote ``$ref``s resolve in ``store``.

    ``key`` names the schema for the in-process cache; the disk cache is keyed by content.
    """
    fn = _compiled.get(key)
    if fn is None:
        fn = _compiled[key] = _build(schema, store)
    return fn


def _build(schema: Mapping[str, Any], store: Mapping[str, Any]) -> Callable[[Any], bool]:
    resolver = RefResolver.from_schema(dict(schema), handlers={"http": store.__getitem__, "https": store.__getitem__},
                                       store={})
    digest = hashlib.sha256(orjson.dumps([schema, store], option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]
    tag = f"{_GENERATOR_TAG}-{fastjsonschema.VERSION}-py{sys.version_info[0]}{sys.version_info[1]}"
    path = cache_dir() / "schemas" / f"{digest}-{tag}.marshal"
    payload = _load(path)
    namespace: dict[str, Any] | None = None
    if payload is not None:
        try:  # a cache file from another version, or damaged, is never fatal: compile afresh
            namespace = _namespace(payload)
        except Exception:  # any fault in a cached payload means "rebuild"
            namespace = None
    if namespace is None:
        generator = _Generator(dict(schema), resolver=resolver, use_default=False)  # never write into the doc
        code = compile(generator.func_code, f"<schema {digest}>", "exec")
        patterns = [(name, rx.pattern, rx.flags) for name, rx in generator._compile_regexps.items()]
        modules = [(alias, *_importable(obj)) for alias, obj in generator._extra_imports_objects.items()]
        payload = (code, patterns, modules)
        namespace = _namespace(payload)
        _store(path, marshal.dumps(payload))
    validate = namespace[resolver.get_scope_name()]

    def check(doc: Any) -> bool:
        try:
            validate(doc)
        except fastjsonschema.JsonSchemaException:
            return False
        except (RecursionError, TypeError, ValueError):  # pathological input: let jsonschema judge it
            return False
        return True

    return check


def _namespace(payload: Any) -> dict[str, Any]:
    """Run a compiled validator's code (from the generator or the disk cache) in a fresh namespace."""
    code, patterns, modules = payload
    namespace: dict[str, Any] = {
        "re": re,
        "REGEX_PATTERNS": {name: re.compile(pattern, flags) for name, pattern, flags in patterns},
        "JsonSchemaValueException": fastjsonschema.JsonSchemaValueException,
        "JsonSchemaValuesException": fastjsonschema.JsonSchemaValuesException,
    }
    for alias, module, attr in modules:
        obj = importlib.import_module(module)
        namespace[alias] = getattr(obj, attr) if attr else obj
    exec(code, namespace)
    return namespace


def _importable(obj: Any) -> tuple[str, str]:
    """(module, attribute) to import ``obj`` again: generated code uses modules and classes (Decimal)."""
    if isinstance(obj, types.ModuleType):
        return obj.__name__, ""
    return obj.__module__, obj.__qualname__


def _load(path: Path) -> tuple[Any, list[tuple[str, str, int]], list[tuple[str, str, str]]] | None:
    try:
        payload = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    ok = isinstance(payload, tuple) and len(payload) == 3
    return payload if ok else None


def _store(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f:
            f.write(data)
        os.replace(f.name, path)
    except OSError:
        pass  # a read-only home only makes the next run compile again

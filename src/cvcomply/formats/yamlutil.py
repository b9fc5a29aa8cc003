"""Reading YAML files with errors that name the line, and JSON-schema checks that name the place."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.jsonutil import read_bytes


class _Loader(yaml.SafeLoader):
    """Safe YAML, but dates stay text: we parse them ourselves so a bad one is an error we can place."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


class YamlDoc:
    """A parsed YAML document that can tell the line of any JSON pointer into it."""

    def __init__(self, path: str, data: Any, root: yaml.Node | None) -> None:
        self.path = path
        self.data = data
        self._root = root

    def line_of(self, pointer: str) -> int | None:
        node = self._root
        for part in [p for p in pointer.split("/") if p]:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
            else:
                node = None
            if node is None:
                return None
        return node.start_mark.line + 1 if node is not None else None

    def where(self, pointer: str) -> str:
        line = self.line_of(pointer)
        return f"{pointer or '/'} (line {line})" if line else (pointer or "/")


def read_text(path: str) -> str:
    """The file's text, decoded as UTF-8 (a BOM is dropped), or an InputError saying what to do."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(path, f"byte {e.start}", "not UTF-8 text", fix="save the file as UTF-8") from e


def load_yaml(path: str) -> YamlDoc:
    """Parse one YAML document safely; syntax errors become InputError with line and column."""
    text = read_text(path)
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(path, where, f"not valid YAML: {e.problem or e}", fix="fix the YAML syntax there") from e
    except yaml.YAMLError as e:
        raise InputError(path, "", f"not valid YAML: {e}", fix="fix the YAML syntax") from e
    return YamlDoc(path, data, root)


def plain(value: Any) -> Any:
    """YAML values as JSON would have them (dates become ISO strings) so a JSON schema can check them."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = json.loads(resources.files("cvcomply.formats").joinpath("schemas", name).read_text("utf-8"))
    return Draft202012Validator(schema)


def schema_issues(doc: YamlDoc, schema: str | Draft202012Validator, fix: Callable[[str, str], str]) -> list[Issue]:
    """Every violation of a JSON schema (a packaged one by file name, or a validator), located by pointer and line."""
    validator = _validator(schema) if isinstance(schema, str) else schema
    issues = []
    for err in sorted(validator.iter_errors(plain(doc.data)), key=lambda e: list(map(str, e.path))):
        pointer = "/" + "/".join(str(p) for p in err.absolute_path)
        pointer = "" if pointer == "/" else pointer
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            pointer += f"/{extra[0]}" if extra else ""
        message = _message(err)
        issues.append(Issue(doc.path, doc.where(pointer), message, fix(pointer, message)))
    return issues


def _message(err: Any) -> str:
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        allowed = ", ".join(sorted(err.schema.get("properties", {})))
        return f"unknown key(s) {', '.join(map(repr, extra))}; allowed here: {allowed}"
    if err.validator == "enum":
        return f"{err.instance!r} is not one of: {', '.join(map(str, err.validator_value))}"
    if err.validator == "oneOf" and isinstance(err.instance, str):
        return f"{err.instance!r} is not an allowed value"
    if err.validator == "pattern" and "[0-9]{4}" in str(err.validator_value):
        return f"{err.instance!r} is not a date (YYYY-MM-DD)"
    return str(err.message)

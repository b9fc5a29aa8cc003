"""`cvcomply doc` in-process: draft files, --final refusal (exit 1), bad usage (InputError), --previous."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import typer
from click.testing import Result
from tests.outputs.aurora import MANIFEST, aurora_report
from typer.testing import CliRunner

from cvcomply.commands.doc import register
from cvcomply.formats.errors import InputError


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    aurora_report()  # skips when the example is absent
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Mounts sub-commands (as cli.py does)."""

    register(app)
    return app


def _run(app: typer.Typer, *args: str) -> Result:
    return CliRunner().invoke(app, ["doc", str(MANIFEST), *args])


def test_draft_writes_json_pdf_html_deterministically(app: typer.Typer, tmp_path: Path) -> None:
    for out in (tmp_path / "a", tmp_path / "b"):
        result = _run(app, "--model-year", "2027", "--out", str(out))
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["doc-MY2027.html", "doc-MY2027.json", "doc-MY2027.pdf"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    data = orjson.loads((tmp_path / "a" / "doc-MY2027.json").read_bytes())
    assert data["status"] == "draft" and data["blocking"]
    html = (tmp_path / "a" / "doc-MY2027.html").read_text()
    assert ">DRAFT<" in html and 'id="blocking"' in html


def test_final_is_refused_with_the_blocking_list_and_writes_nothing(app: typer.Typer, tmp_path: Path) -> None:
    result = _run(app, "--model-year", "2027", "--out", str(tmp_path / "f"), "--final",
                  "--signatory-name", "Ada Officer", "--signatory-title", "CEO")
    assert result.exit_code == 1
    out = result.output
    assert "refused" in out and "ConnectBridge telematics middleware" in out and "prohibited" in out
    assert not (tmp_path / "f").exists()


@pytest.mark.parametrize("args", [
    ("--out", "x"),  # no period
    ("--model-year", "2027", "--calendar-year", "2029", "--out", "x"),
    ("--model-year", "2027", "--out", "x", "--final"),  # no signatory
    ("--model-year", "2031", "--out", "x"),  # a model year the screening does not hold
])
def test_bad_usage_is_input_error(app: typer.Typer, tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _run(app, *[str(tmp_path / a) if a == "x" else a for a in args])
    assert isinstance(result.exception, InputError)


def test_previous_lists_material_changes(app: typer.Typer, tmp_path: Path) -> None:
    assert _run(app, "--model-year", "2027", "--out", str(tmp_path / "one")).exit_code == 0
    prev = orjson.loads((tmp_path / "one" / "doc-MY2027.json").read_bytes())
    prev["basis"]["inputs"][0]["sha256"] = "0" * 64
    (tmp_path / "prev.json").write_bytes(orjson.dumps(prev))
    result = _run(app, "--model-year", "2027", "--out", str(tmp_path / "two"),
                  "--previous", str(tmp_path / "prev.json"))
    assert result.exit_code == 0, result.output
    changes = orjson.loads((tmp_path / "two" / "doc-MY2027.json").read_bytes())["material_changes"]
    assert [c["kind"] for c in changes] == ["input-changed"]
    assert changes[0]["requires_update"] and changes[0]["tag"] == "U" and changes[0]["days"] == 60

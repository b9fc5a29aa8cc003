"""Read big generated BOMs with cvcomply, with the formats' own Python libraries and with a bare JSON parse.

Generated data (made by this script, not third-party): a CycloneDX 1.6 JSON BOM with ``--components``
components and an SPDX 2.3 JSON document with ``--packages`` packages, each with a supplier, a licence, a
hash, a purl and ``cvcomply:`` hints, written once to a temporary folder. Each reader runs in its own
process (so each peak RSS is its own), in the same run:

* ``floor``: ``orjson.loads`` of the bytes (nothing can read the file faster), as a plain program runs it;
  ``floor-gc-off``: the same with the cyclic collector off, as cvcomply's readers parse (the collector
  walks the young document on every allocation burst; with it on the parse takes ~2-3x longer). The
  ``x floor`` column divides by ``floor-gc-off``, the lower and honest one;
* ``cvcomply``: ``read_bom`` as ``screen`` uses it (lenient, schema warnings on), after one tiny read that
  loads the compiled schema check (compiled once per machine, then cached on disk); for CycloneDX also
  ``cvcomply-no-schema`` (``schema_warnings=False``) to show what the check costs;
* ``cyclonedx-python-lib``: ``Bom.from_json`` (its own deserialiser) on the parsed JSON;
* ``spdx-tools``: ``spdx_tools.spdx.parser.parse_anything.parse_file``.

Printed per reader: seconds, MB/s, records/s, peak RSS, and the ratios to the floor and of the library to
cvcomply. Targets (issue 3): cvcomply ≥ 5x faster than the libraries, within 3x of the floor.

    python -m benchmarks.bench_formats [--components 100000] [--packages 50000] [--quick] [--timeout 900]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

CATEGORIES = ["cellular-module", "telematics-unit", "wifi-module", "gnss-receiver", "soc", "mcu"]
LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-2.0-only"]


def make_cyclonedx(path: Path, n: int, rng: random.Random) -> None:
    comps = []
    for i in range(n):
        hw = i % 4 == 0
        comps.append({
            "type": "device" if hw else "library", "bom-ref": f"c{i}", "name": f"component-{i}", "version": "1.0",
            "purl": f"pkg:generic/component-{i}@1.0",
            "supplier": {"name": f"Generated Supplier {rng.randrange(2000)} Co., Ltd.",
                         "address": {"country": rng.choice(["DE", "JP", "US", "CN"])}},
            "licenses": [{"license": {"id": rng.choice(LICENSES)}}],
            "hashes": [{"alg": "SHA-256", "content": f"{rng.getrandbits(256):064x}"}],
            "properties": ([{"name": "cvcomply:vcs-category", "value": rng.choice(CATEGORIES)},
                            {"name": "cvcomply:rf-max-mhz", "value": "2400"}] if hw
                           else [{"name": "cvcomply:function", "value": "vcs"}]),
        })
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6",
           "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
           "metadata": {"timestamp": "2026-01-01T00:00:00Z"}, "components": comps}
    path.write_bytes(orjson.dumps(bom))


def make_spdx(path: Path, n: int, rng: random.Random) -> None:
    packages = []
    for i in range(n):
        hw = i % 4 == 0
        packages.append({
            "SPDXID": f"SPDXRef-p{i}", "name": f"package-{i}", "versionInfo": "1.0", "downloadLocation": "NOASSERTION",
            "supplier": f"Organization: Generated Supplier {rng.randrange(2000)} Co., Ltd. (sales@example.com)",
            "originator": "Person: Generated Developer", "licenseConcluded": rng.choice(LICENSES),
            "licenseDeclared": "NOASSERTION", "copyrightText": "NOASSERTION", "filesAnalyzed": False,
            "primaryPackagePurpose": "DEVICE" if hw else "LIBRARY",
            "checksums": [{"algorithm": "SHA256", "checksumValue": f"{rng.getrandbits(256):064x}"}],
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                              "referenceLocator": f"pkg:generic/package-{i}@1.0"}],
            "annotations": [{"annotationType": "OTHER", "annotator": "Tool: bench",
                             "annotationDate": "2026-01-01T00:00:00Z",
                             "comment": "cvcomply:vcs-category=soc" if hw else "cvcomply:function=vcs"}],
        })
    doc = {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "bench",
           "documentNamespace": "https://cvcomply.example/bench", "creationInfo": {
               "created": "2026-01-01T00:00:00Z", "creators": ["Tool: cvcomply-bench"]},
           "packages": packages,
           "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                              "relatedSpdxElement": "SPDXRef-p0"}]}
    path.write_bytes(orjson.dumps(doc))


# -- one reader, in a child process -------------------------------------------------------------------


_WARM = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}'


def _run_one(reader: str, path: str) -> dict[str, Any]:
    raw = Path(path).read_bytes()
    if reader.startswith("cvcomply"):
        from cvcomply.formats.cyclonedx import read_cyclonedx
        from cvcomply.formats.detect import read_bom

        read_cyclonedx("warm.json", _WARM)  # load the compiled schema check, as any earlier read would have
    t0 = time.perf_counter()
    if reader == "floor":
        doc = orjson.loads(raw)
        n = len(doc.get("components") or doc.get("packages"))
    elif reader == "floor-gc-off":
        gc.disable()  # what cvcomply's readers do while parsing: the lower, honest floor
        doc = orjson.loads(raw)
        n = len(doc.get("components") or doc.get("packages"))
    elif reader == "cvcomply":
        n = len(read_bom(path).components)
    elif reader == "cvcomply-no-schema":
        n = len(read_cyclonedx(path, schema_warnings=False).components)
    elif reader == "cyclonedx-python-lib":
        from cyclonedx.model.bom import Bom

        n = len(Bom.from_json(orjson.loads(raw)).components)  # type: ignore[attr-defined]
    elif reader == "spdx-tools":
        from spdx_tools.spdx.parser.parse_anything import parse_file

        n = len(parse_file(path).packages)
    else:
        raise SystemExit(f"unknown reader {reader}")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "records": n, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _measure(reader: str, path: Path, timeout: float) -> dict[str, Any] | None:
    try:
        out = subprocess.run([sys.executable, "-m", "benchmarks.bench_formats", "--one", reader, str(path)],
                             capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as e:
        print(f"  {reader}: failed: {e.stderr.strip().splitlines()[-1:]}")
        return None
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _table(title: str, path: Path, readers: list[str], timeout: float) -> None:
    size_mb = path.stat().st_size / 1e6
    print(f"\n{title}: {path.name}, {size_mb:.1f} MB")
    print(f"  {'reader':<22}{'seconds':>9}{'MB/s':>9}{'records/s':>12}{'peak RSS MB':>13}{'x floor':>9}"
          f"{'x cvcomply':>12}")
    results = {r: _measure(r, path, timeout) for r in readers}
    floor, ours = results.get("floor-gc-off") or results.get("floor"), results.get("cvcomply")
    for r, res in results.items():
        if res is None:
            print(f"  {r:<22}{'> ' + str(int(timeout)):>9}  (timed out or failed)")
            continue
        s = res["seconds"]
        vs_floor = f"{s / floor['seconds']:.1f}" if floor else "-"
        vs_ours = f"{s / ours['seconds']:.1f}" if ours else "-"
        print(f"  {r:<22}{s:>9.2f}{size_mb / s:>9.1f}{res['records'] / s:>12,.0f}{res['rss_mb']:>13.0f}"
              f"{vs_floor:>9}{vs_ours:>12}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--components", type=int, default=100_000)
    ap.add_argument("--packages", type=int, default=50_000)
    ap.add_argument("--quick", action="store_true", help="5k components, 2.5k packages")
    ap.add_argument("--timeout", type=float, default=900, help="seconds one reader may take")
    ap.add_argument("--one", nargs=2, metavar=("READER", "FILE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(_run_one(*a.one)))
        return
    if a.quick:
        a.components, a.packages = 5_000, 2_500
    print(f"load average: {os.getloadavg()[0]:.2f} (2-core machine shared with other work: times are noisy)")
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        cdx, spdx = Path(tmp) / "bench.cdx.json", Path(tmp) / "bench.spdx.json"
        make_cyclonedx(cdx, a.components, rng)
        make_spdx(spdx, a.packages, rng)
        _table(f"CycloneDX 1.6 JSON, {a.components:,} components", cdx,
               ["floor", "floor-gc-off", "cvcomply", "cvcomply-no-schema", "cyclonedx-python-lib"], a.timeout)
        _table(f"SPDX 2.3 JSON, {a.packages:,} packages", spdx,
               ["floor", "floor-gc-off", "cvcomply", "spdx-tools"], a.timeout)


if __name__ == "__main__":
    main()

"""Read a generated GLEIF-like Golden Copy (LEI-CDF + RR-CDF XML, 1M records by default) three ways.

Generated data (made by this script, not third-party; LEIs are invented with valid ISO 17442 check digits,
records shaped like the Golden Copy's with addresses, registration and a geocoding extension). Each pass runs
in its own process so each peak RSS is its own:

* ``floor``: a bare ``lxml.etree.iterparse`` over the record elements with clearing — the least any
  streaming XML reader can do;
* ``stream``: :func:`cvcomply.formats.gleif.iter_gleif`, every record turned into model objects and dropped
  (how a store loads a Golden Copy: memory must not grow with the file);
* ``read``: :func:`cvcomply.formats.gleif.read_gleif`, all facts kept as :class:`OwnershipFacts` (memory
  grows with the records kept, not with the file's bytes).

It prints MB/s, records/s, peak RSS and the ratio of each pass to the floor. Targets: ``stream`` within 3x
of the floor, its peak RSS under 1 GB whatever the file's size.

    python -m benchmarks.bench_gleif [--quick] [--records N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEI_NS = "http://www.gleif.org/data/schema/leidata/2016"
RR_NS = "http://www.gleif.org/data/schema/rr/2016"
COUNTRIES = ["US", "DE", "JP", "KR", "MX", "GB", "CN", "HK", "RU", "KY", "SG", "FR", "NL", "LU", "IE"]


def lei(i: int) -> str:
    body = f"BENCH{i:013d}"
    digits = "".join(str(int(c, 36)) for c in body + "00")
    return body + f"{98 - int(digits) % 97:02d}"


def _address(tag: str, i: int, c: str) -> str:
    return (f'<lei:{tag} xml:lang="en"><lei:FirstAddressLine>{i % 997} Example Street</lei:FirstAddressLine>'
            f"<lei:City>City {i % 211}</lei:City><lei:Region>{c}-{i % 9}</lei:Region><lei:Country>{c}</lei:Country>"
            f"<lei:PostalCode>{10000 + i % 89999}</lei:PostalCode></lei:{tag}>")


def write_lei(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<lei:LEIData xmlns:lei="{LEI_NS}" '
                'xmlns:gleif="http://www.gleif.org/data/schema/golden-copy/extensions/1.0">\n'
                f"<lei:LEIHeader><lei:RecordCount>{n}</lei:RecordCount></lei:LEIHeader>\n<lei:LEIRecords>\n")
        buf = []
        for i in range(n):
            c = COUNTRIES[i % len(COUNTRIES)]
            status = "ISSUED" if i % 5 else "LAPSED"
            buf.append(
                f"<lei:LEIRecord><lei:LEI>{lei(i)}</lei:LEI><lei:Entity>"
                f'<lei:LegalName xml:lang="en">Generated Holdings {i} Limited</lei:LegalName>'
                f'<lei:OtherEntityNames><lei:OtherEntityName xml:lang="en" type="PREVIOUS_LEGAL_NAME">Old Name {i} Ltd'
                f"</lei:OtherEntityName></lei:OtherEntityNames>{_address('LegalAddress', i, c)}"
                f"{_address('HeadquartersAddress', i, c)}<lei:RegistrationAuthority><lei:RegistrationAuthorityID>"
                f"RA000{i % 700:03d}</lei:RegistrationAuthorityID><lei:RegistrationAuthorityEntityID>{i}"
                f"</lei:RegistrationAuthorityEntityID></lei:RegistrationAuthority>"
                f"<lei:LegalJurisdiction>{c}</lei:LegalJurisdiction><lei:EntityCategory>GENERAL</lei:EntityCategory>"
                f"<lei:LegalForm><lei:EntityLegalFormCode>8888</lei:EntityLegalFormCode></lei:LegalForm>"
                f"<lei:EntityStatus>ACTIVE</lei:EntityStatus><lei:EntityCreationDate>2001-01-01T00:00:00Z"
                f"</lei:EntityCreationDate></lei:Entity><lei:Registration><lei:InitialRegistrationDate>"
                f"2014-01-01T00:00:00Z</lei:InitialRegistrationDate><lei:LastUpdateDate>2024-01-01T00:00:00Z"
                f"</lei:LastUpdateDate><lei:RegistrationStatus>{status}</lei:RegistrationStatus>"
                f"<lei:NextRenewalDate>2025-01-01T00:00:00Z</lei:NextRenewalDate><lei:ManagingLOU>EVK05KS7XY1DEII3R011"
                f"</lei:ManagingLOU><lei:ValidationSources>FULLY_CORROBORATED</lei:ValidationSources></lei:Registration>"
                f"<lei:Extension><gleif:Geocoding><gleif:relevance>0.9</gleif:relevance><gleif:lat>42.3</gleif:lat>"
                f"<gleif:lng>-71.0</gleif:lng></gleif:Geocoding></lei:Extension></lei:LEIRecord>\n")
            if len(buf) == 10000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf) + "</lei:LEIRecords>\n</lei:LEIData>\n")


def write_rr(path: Path, n: int, entities: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<rr:RelationshipData xmlns:rr="{RR_NS}">\n'
                f"<rr:Header><rr:RecordCount>{n}</rr:RecordCount></rr:Header>\n<rr:RelationshipRecords>\n")
        buf = []
        for i in range(n):
            child, parent = lei((i * 7 + 1) % entities), lei((i * 13 + 5) % entities)
            kind = "IS_DIRECTLY_CONSOLIDATED_BY" if i % 2 else "IS_ULTIMATELY_CONSOLIDATED_BY"
            buf.append(
                f"<rr:RelationshipRecord><rr:Relationship><rr:StartNode><rr:NodeID>{child}</rr:NodeID><rr:NodeIDType>"
                f"LEI</rr:NodeIDType></rr:StartNode><rr:EndNode><rr:NodeID>{parent}</rr:NodeID><rr:NodeIDType>LEI"
                f"</rr:NodeIDType></rr:EndNode><rr:RelationshipType>{kind}</rr:RelationshipType>"
                f"<rr:RelationshipPeriods><rr:RelationshipPeriod><rr:StartDate>2015-01-01T00:00:00Z</rr:StartDate>"
                f"<rr:EndDate>2023-12-31T00:00:00Z</rr:EndDate><rr:PeriodType>ACCOUNTING_PERIOD</rr:PeriodType>"
                f"</rr:RelationshipPeriod><rr:RelationshipPeriod><rr:StartDate>2016-06-01T00:00:00Z</rr:StartDate>"
                f"<rr:PeriodType>RELATIONSHIP_PERIOD</rr:PeriodType></rr:RelationshipPeriod></rr:RelationshipPeriods>"
                f"<rr:RelationshipStatus>ACTIVE</rr:RelationshipStatus><rr:RelationshipQualifiers>"
                f"<rr:QualifierDimension>ACCOUNTING_STANDARD</rr:QualifierDimension><rr:QualifierCategory>IFRS"
                f"</rr:QualifierCategory></rr:RelationshipQualifiers></rr:Relationship><rr:Registration>"
                f"<rr:InitialRegistrationDate>2017-01-01T00:00:00Z</rr:InitialRegistrationDate><rr:LastUpdateDate>"
                f"2024-01-01T00:00:00Z</rr:LastUpdateDate><rr:RegistrationStatus>PUBLISHED</rr:RegistrationStatus>"
                f"<rr:ManagingLOU>EVK05KS7XY1DEII3R011</rr:ManagingLOU><rr:ValidationSources>FULLY_CORROBORATED"
                f"</rr:ValidationSources></rr:Registration></rr:RelationshipRecord>\n")
            if len(buf) == 10000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf) + "</rr:RelationshipRecords>\n</rr:RelationshipData>\n")


# -- the passes, each run in a child process ----------------------------------------------------------


def _floor(paths: list[str]) -> int:
    from lxml import etree

    count = 0
    tags = (f"{{{LEI_NS}}}LEIRecord", f"{{{RR_NS}}}RelationshipRecord")
    for p in paths:
        for _, elem in etree.iterparse(p, tag=tags, resolve_entities=False, no_network=True, load_dtd=False):
            count += 1
            elem.clear(keep_tail=False)
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    return count


def _stream(paths: list[str]) -> int:
    from cvcomply.formats.gleif import iter_gleif

    return sum(sum(1 for _ in iter_gleif(p)) for p in paths)


def _read(paths: list[str]) -> int:
    from cvcomply.formats.gleif import read_gleif

    total = 0
    kept = []
    for p in paths:
        facts = read_gleif(p)
        total += len(facts.entities) + len(facts.holdings)
        kept.append(facts)  # keep both files' facts alive, as a registry load would
    return total


def child(mode: str, paths: list[str]) -> None:
    start = time.perf_counter()
    count = {"floor": _floor, "stream": _stream, "read": _read}[mode](paths)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "records": count, "seconds": seconds, "rss_mb": rss}))


def run(mode: str, paths: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_gleif", "--child", mode, *paths],
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="20k records (a smoke run)")
    ap.add_argument("--records", type=int, default=None, help="total records (default 1,000,000: 60%% LEI, 40%% RR)")
    ap.add_argument("--keep", type=Path, default=None, help="write the generated files here and keep them")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return 0
    total = args.records or (20_000 if args.quick else 1_000_000)
    n_lei, n_rr = total * 6 // 10, total - total * 6 // 10
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-gleif-"))
    folder.mkdir(parents=True, exist_ok=True)
    lei_path, rr_path = folder / "lei.xml", folder / "rr.xml"
    t = time.perf_counter()
    write_lei(lei_path, n_lei)
    write_rr(rr_path, n_rr, n_lei)
    size_mb = (lei_path.stat().st_size + rr_path.stat().st_size) / 1e6
    load = os.getloadavg()[0]
    print(f"generated {n_lei:,} LEI + {n_rr:,} RR records, {size_mb:,.0f} MB in {time.perf_counter() - t:.1f} s; "
          f"load average {load:.2f} on {os.cpu_count()} CPUs")
    paths = [str(lei_path), str(rr_path)]
    results = {mode: run(mode, paths) for mode in ("floor", "stream", "read")}
    base = results["floor"]["seconds"]
    print(f"{'pass':<8}{'records':>12}{'seconds':>10}{'MB/s':>9}{'records/s':>12}{'peak RSS MB':>13}{'x floor':>9}")
    for mode, r in results.items():
        print(f"{mode:<8}{int(r['records']):>12,}{r['seconds']:>10.2f}{size_mb / r['seconds']:>9.1f}"
              f"{r['records'] / r['seconds']:>12,.0f}{r['rss_mb']:>13.0f}{r['seconds'] / base:>9.2f}")
    ok = results["stream"]["seconds"] <= 3 * base and results["stream"]["rss_mb"] < 1024
    print(f"stream within 3x of the floor and under 1 GB RSS: {'yes' if ok else 'NO'}")
    if args.keep is None:
        for p in (lei_path, rr_path):
            p.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

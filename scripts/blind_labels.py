"""Measure ``referral import-hsds`` against the blind hand labels of real data.

The labels (tests/fixtures/hsds-labels/blind/, see its README) were made by a person
who never saw the importer. They are split once, by a hash of source and id, into a
tuning half (even) and a reporting half (odd): only the tuning half may guide
changes; docs/hsds-relevance.md reports the other.

Two measures, each on a half:
- service types: precision and recall of (service, type) pairs, and how often the
  first type is the labelled primary one, from real imports of the two sources;
- eligibility: each labelled text imported as a one-service package (an eligibility
  cell, or a description where the label came from one), and the provider's ages,
  genders and families compared with the label; "lost" counts the records where a
  gender or age limit of the text is missing while another limit is kept, "wrong"
  those given a limit the text does not set (who would be wrongly turned away).

The importer is run as a command (``--referral``), so any version can be measured:
``--referral "env PYTHONPATH=/tmp/old python -m referral_cli"``. Miami text is read
from ../shared at run time and never written anywhere but a temporary folder.

Usage: python scripts/blind_labels.py [--labels blind|blind2] [--half tuning|reporting]
    [--referral CMD] [--misses]
       python scripts/blind_labels.py --agreement [--half tuning|reporting]
(REFERRAL_REAL_DATA names the real-data folder when it is not ../shared/real-data.)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "fixtures" / "hsds-labels"
# Each set of labels and how it is split: blind/ by hash into a tuning and a
# reporting half; blind2/, labelled later by another blind helper to give the
# rules more records to learn from, tunes whole (its README says so).
SPLITS = {"blind": "hash", "blind2": "tuning"}
SHARED = Path(os.environ.get("REFERRAL_REAL_DATA", ROOT.parent / "shared" / "real-data"))
SOURCES = {
    "san-mateo": ROOT / "tests" / "fixtures" / "ohana-smc-sample",
    "miami": SHARED / "open211-miami",
}


def half(source: str, key: str, labels: str = "blind") -> str:
    """``tuning`` or ``reporting``: the last byte of sha256("source:key"), even or odd,
    for a set split by hash; a set that tunes whole is all ``tuning``."""
    if SPLITS[labels] != "hash":
        return SPLITS[labels]
    digest = hashlib.sha256(f"{source}:{key}".encode()).digest()
    return "tuning" if digest[-1] % 2 == 0 else "reporting"


def _rows(labels: str, name: str) -> list[dict[str, str]]:
    with (LABELS / labels / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _run(referral: str, source: Path, out: Path) -> list[dict[str, Any]]:
    cmd = [*shlex.split(referral), "import-hsds", str(source), "-o", str(out), "--force"]
    done = subprocess.run(
        cmd, check=False, capture_output=True, cwd=out.parent
    )  # no ./referral_cli
    if done.returncode not in (0, 5):  # 5: written, with references that dangle
        sys.exit(f"blind_labels: {' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return list(yaml.safe_load(out.read_text("utf-8"))["providers"])


@dataclass
class Types:
    services: int = 0
    given: int = 0
    right: int = 0
    labelled: int = 0
    primary: int = 0

    def line(self) -> str:
        p = self.right / self.given if self.given else 0.0
        r = self.right / self.labelled if self.labelled else 0.0
        first = self.primary / self.services if self.services else 0.0
        return (
            f"{self.services} services: precision {p:.2f}, recall {r:.2f},"
            f" primary type first {first:.2f}"
        )


def measure_types(referral: str, which: str, tmp: Path, labels: str = "blind") -> dict[str, Types]:
    out: dict[str, Types] = {}
    confusions: Counter[str] = Counter()
    misses: list[str] = []
    for source, path in SOURCES.items():
        rows = [r for r in _rows(labels, "services.csv") if r["source"] == source]
        rows = [r for r in rows if half(source, r["service_id"], labels) == which]
        if not rows:
            continue
        got: dict[str, list[str]] = {}
        for p in _run(referral, path, tmp / f"{source}.yaml"):
            sid = str(p.get("x-hsds-id", "")).split("@")[0]
            got.setdefault(sid, list(p.get("services") or []))
        t = out.setdefault(source, Types())
        for r in rows:
            want = [x for x in r["types"].split(";") if x]
            have = got.get(r["service_id"], [])  # left out by the importer: no type
            t.services += 1
            t.given += len(have)
            t.labelled += len(want)
            t.right += len(set(have) & set(want))
            t.primary += (have[:1] == want[:1]) or (not have and not want)
            for x in set(have) - set(want):
                confusions[f"given {x} (label {'/'.join(want) or 'none'})"] += 1
            if have != want:
                misses.append(f"{source} {r['service_id']}: given {have}; label {want}")
    out["_confusions"] = confusions  # type: ignore[assignment]
    out["_misses"] = misses  # type: ignore[assignment]
    return out


def _miami_text(service_id: str) -> tuple[str, bool]:
    """The Miami text a label was made from, and whether it is a description."""
    data = SHARED / "open211-miami" / "data"
    if service_id.startswith("elig-row-"):
        n = int(service_id.removeprefix("elig-row-"))
        with (data / "eligibility.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        return rows[n - 1]["eligibility"], False
    with (data / "services.csv").open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["id"] == service_id)
    return "\n\n".join(x for x in (row["description"], row["application_process"]) if x), True


@dataclass
class Eligibility:
    records: int = 0
    ages: int = 0
    genders: int = 0
    families: int = 0
    lost: int = 0
    wrong: int = 0

    def line(self) -> str:
        n = self.records or 1
        return (
            f"{self.records} texts: ages {self.ages / n:.2f}, genders {self.genders / n:.2f},"
            f" families {self.families / n:.2f}; limits lost {self.lost},"
            f" wrongly limited {self.wrong}"
        )


def _age(value: str) -> int | None:
    return int(value) if value.strip() else None


def measure_eligibility(
    referral: str, which: str, tmp: Path, labels: str = "blind"
) -> tuple[Eligibility, list[str]]:
    rows = [
        r
        for r in _rows(labels, "eligibility.csv")
        if half(r["source"], r["service_id"], labels) == which
    ]
    if not rows:  # a set with no texts in this half (blind2 labels tuning only)
        return Eligibility(), []
    services = []
    for i, r in enumerate(rows):
        if r["source"] == "miami":
            text, prose = _miami_text(r["service_id"])
        else:
            text, prose = r["text"], "field=description" in r["notes"]
        services.append(
            {
                "id": f"s{i}",
                "name": f"Service {i}",
                "description": text if prose else "",
                "eligibility": "" if prose else text,
            }
        )
    package = tmp / "eligibility"
    package.mkdir(exist_ok=True)
    with (package / "services.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["id", "name", "description", "eligibility"])
        w.writeheader()
        w.writerows(services)
    got = {
        str(p["x-hsds-id"]): p.get("eligibility") or {}
        for p in _run(referral, package, tmp / "eligibility.yaml")
    }
    m = Eligibility()
    misses: list[str] = []
    for i, r in enumerate(rows):
        e = got.get(f"s{i}", {})
        lo, hi = (e.get("ages") or [None, None]) if e.get("stated", True) else (None, None)
        genders = set(e.get("genders") or ())
        families = "families" in (e.get("populations") or ())
        want_lo, want_hi = _age(r["age_min"]), _age(r["age_max"])
        want_lo = None if want_lo == 0 else want_lo
        want_g = {g for g in r["genders"].split(";") if g}
        want_g = set() if len(want_g) > 1 else want_g  # both named: no limit
        m.records += 1
        age_ok = (lo, hi) == (want_lo, want_hi)
        gender_ok = genders == want_g
        m.ages += age_ok
        m.genders += gender_ok
        m.families += families == (r["families"] == "yes")
        has_age = lo is not None or hi is not None
        lost = (want_g and not genders and (has_age or families)) or (
            (want_lo is not None or want_hi is not None) and not has_age and genders
        )
        m.lost += bool(lost)
        narrower = (lo is not None and (want_lo is None or lo > want_lo)) or (
            hi is not None and (want_hi is None or hi < want_hi)
        )
        m.wrong += bool(narrower or (genders and genders != want_g))
        if not (age_ok and gender_ok) or lost:
            misses.append(
                f"{r['source']} {r['service_id']}: read ages {lo}-{hi} genders"
                f" {sorted(genders)}; label {want_lo}-{want_hi} {sorted(want_g)}"
            )
    return m, misses


def label_agreement(which: str) -> str:
    """How often the two blind labellers agree where their records are alike: Miami
    services of ``blind`` (the given half) and of ``blind2`` (all) whose AIRS service terms
    (target populations, Y, left aside) are the same set. For each such pair, the
    second labeller's types are scored against the first's as an importer's would be
    (precision, recall), and the exact set and the primary type compared; each group
    of alike records counts once (a large group, such as after-school sites, would
    otherwise decide alone), then each pair once. The importer is not run."""
    data = SHARED / "open211-miami" / "data"
    codes: dict[str, set[str]] = {}
    with (data / "services_taxonomy.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if not r["taxonomy_id"].startswith("Y"):
                codes.setdefault(r["service_id"], set()).add(r["taxonomy_id"])
    groups: dict[frozenset[str], dict[str, list[list[str]]]] = {}
    for labels in SPLITS:
        for r in _rows(labels, "services.csv"):
            sid = r["service_id"]
            mine = SPLITS[labels] == "tuning" or half("miami", sid, labels) == which
            if r["source"] != "miami" or not mine or sid not in codes:
                continue
            group = groups.setdefault(frozenset(codes[sid]), {})
            group.setdefault(labels, []).append([x for x in r["types"].split(";") if x])
    by_group: list[tuple[float, float, float, float]] = []
    pairs: Counter[str] = Counter()
    for group in groups.values():
        if len(group) < 2:
            continue
        g: Counter[str] = Counter()
        for first in group["blind"]:
            for second in group["blind2"]:
                g["pairs"] += 1
                g["same"] += set(first) == set(second)
                g["primary"] += first[:1] == second[:1]
                g["both"] += len(set(first) & set(second))
                g["first"] += len(first)
                g["second"] += len(second)
        pairs.update(g)
        by_group.append(
            (
                g["same"] / g["pairs"],
                g["primary"] / g["pairs"],
                g["both"] / g["second"] if g["second"] else 1.0,
                g["both"] / g["first"] if g["first"] else 1.0,
            )
        )
    n = len(by_group) or 1
    mean = [sum(x[i] for x in by_group) / n for i in range(4)]
    return (
        f"label agreement ({which} half of blind/ against blind2/, alike records):"
        f" {len(by_group)} groups: same types {mean[0]:.2f}, same primary {mean[1]:.2f},"
        f" precision {mean[2]:.2f}, recall {mean[3]:.2f};"
        f" {pairs['pairs']} pairs: same types {pairs['same'] / max(pairs['pairs'], 1):.2f},"
        f" precision {pairs['both'] / max(pairs['second'], 1):.2f},"
        f" recall {pairs['both'] / max(pairs['first'], 1):.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=("tuning", "reporting"), default="reporting")
    ap.add_argument("--referral", default=f"{sys.executable} -m referral_cli")
    ap.add_argument("--labels", choices=sorted(SPLITS), default="blind", help="the set of labels")
    ap.add_argument("--misses", action="store_true", help="list each miss")
    ap.add_argument(
        "--agreement",
        action="store_true",
        help="only how often the two labellers agree on alike records (no import)",
    )
    args = ap.parse_args()
    if not (SHARED / "open211-miami" / "datapackage.json").exists():
        sys.exit(f"blind_labels: the Miami data is not at {SHARED}: ../shared is needed")
    if args.agreement:
        print(label_agreement(args.half))
        return
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        types = measure_types(args.referral, args.half, tmp, args.labels)
        confusions = types.pop("_confusions")
        type_misses = types.pop("_misses")
        for source, t in types.items():
            print(f"types {args.half} {source}: {t.line()}")
        print("most frequent extra types:", dict(Counter(confusions).most_common(8)))
        if args.misses:
            print("\n".join(type_misses))  # type: ignore[arg-type]
        elig, misses = measure_eligibility(args.referral, args.half, tmp, args.labels)
        print(f"eligibility {args.half}: {elig.line()}")
        if args.misses:
            print("\n".join(misses))


if __name__ == "__main__":
    main()

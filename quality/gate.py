"""Quality gate: score the eval dev sets and fail when a figure drops below its floor.

Each ``quality/floors/<set>.json`` maps a dotted path into ``score.py --json``
output (``results.quotes.direct.f1``) to the lowest value accepted. The eval
data lives outside the repository (``../shared/eval``); without it the gate
says so and passes, as on a user's machine, except under ``CI=true``, where
missing eval data fails the gate (a CI that cannot score must not look green).

    python quality/gate.py [--eval-dir ../shared/eval] [--set quotes-dev]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / "quality" / "floors"


def lookup(data: dict, dotted: str) -> float:
    value: object = data
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(dotted)
        value = value[part]
    if not isinstance(value, int | float):
        raise KeyError(dotted)
    return float(value)


def inputs_of(eval_dir: Path, name: str) -> Path:
    """The set's input folder; a set may share another's, named in a small text file where
    a copy of the data kept no symlink (``html-body-dev2/inputs`` holds ``../html-meta-dev2/inputs``)."""
    inputs = eval_dir / "data" / name / "inputs"
    if inputs.is_file():
        target = (inputs.parent / inputs.read_text(encoding="utf-8").strip()).resolve()
        if target.is_dir():
            return target
    return inputs


def score_database_set(eval_dir: Path, name: str) -> dict:
    """Load the set with ``newsetl run`` into a fresh SQLite file and score the database."""
    inputs = inputs_of(eval_dir, name)
    with tempfile.TemporaryDirectory(prefix="newsetl-gate-") as folder:
        url = f"sqlite:///{Path(folder) / 'gate.db'}"
        subprocess.run(
            [sys.executable, "-m", "etl", "-q", "run", "--db", url, str(inputs)], cwd=ROOT, check=True
        )
        # Corpus-level entity resolution after the run (idempotent if the run already did it).
        resolve = "import sys; from etl.load.resolve import resolve_database; resolve_database(sys.argv[1])"
        subprocess.run([sys.executable, "-c", resolve, url], cwd=ROOT, check=True)
        scored = subprocess.run(
            [
                sys.executable,
                str(eval_dir / "score_entity_link.py"),
                "--gold",
                str(eval_dir / "data" / name),
                "--pred",
                str(Path(folder) / "gate.db"),
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(scored.stdout)


DATABASE_SETS = {"entity-link-dev"}
"""Sets scored from a database that ``newsetl run`` wrote, not from ``extract --json``."""


def score_set(eval_dir: Path, name: str) -> dict:
    if name in DATABASE_SETS:
        return score_database_set(eval_dir, name)
    inputs = inputs_of(eval_dir, name)
    # Page metadata and body sets need no entities or quotes: skip spaCy there.
    nlp = [] if name.startswith("html-") else ["--nlp"]
    extract = subprocess.run(
        [sys.executable, "-m", "etl", "-q", "extract", "--json", *(nlp or ["--no-nlp"]), str(inputs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    scored = subprocess.run(
        [
            sys.executable,
            str(eval_dir / "score.py"),
            "--gold",
            str(eval_dir / "data" / name),
            "--pred",
            "-",
            "--json",
        ],
        input=extract.stdout,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(scored.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--set", action="append", dest="sets", help="only these dev sets")
    args = parser.parse_args()
    if not (args.eval_dir / "score.py").is_file():
        if os.environ.get("CI", "").lower() == "true":
            print(f"quality gate: failed, no eval data at {args.eval_dir} (CI=true)")
            return 1
        print(f"quality gate: skipped, no eval data at {args.eval_dir}")
        return 0
    failures = 0
    for floors_file in sorted(FLOORS.glob("*.json")):
        name = floors_file.stem
        if args.sets and name not in args.sets:
            continue
        if not (args.eval_dir / "data" / name).is_dir():
            print(f"quality gate: {name}: skipped, set not present")
            continue
        result = score_set(args.eval_dir, name)
        for dotted, floor in json.loads(floors_file.read_text()).items():
            value = lookup(result, dotted)
            ok = value + 1e-9 >= floor
            failures += not ok
            print(
                f"quality gate: {name} {dotted} = {value:.3f} (floor {floor:.3f}) {'ok' if ok else 'BELOW FLOOR'}"
            )
    print(f"quality gate: {'failed' if failures else 'passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

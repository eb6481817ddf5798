"""Lint the public histories issue 20 measured precision on, compare two linters, and count the
labelled findings (docs/rules.md, "Measured precision").

`lint_histories/sets.json` lists every set: the round that used it, its role (development
material, read while fixing rules, or held-out, measured once), the repository, where its files
come from (`git <commit>` or `pypi <dist>==<version>`: Airflow, Superset, MLflow and ZenML were
read from their wheels), the versions directories and the targets it is judged for. Nothing of
those projects is kept here: extract each one yourself into SOURCES/<owner>+<name> (for git,
`git clone` and `git checkout <commit>`; for PyPI, unpack the wheel or sdist there), then:

    .venv/bin/python bench/lint_histories.py run SOURCES OUT [--round r13] [--jobs 2]
    .venv/bin/python bench/lint_histories.py diff OUT_BEFORE OUT_AFTER
    .venv/bin/python bench/lint_histories.py precision OUT lint_histories/labels-r13.json

`run` calls the real CLI from each project's root, as a user would:
`alembic-sentinel --migrations <env.py's directory> lint --all --format json --target-server T`
(a versions entry ending in `/**` is a history spread over release folders: its files are
passed explicitly), with an empty cache and none of the settings' environment variables, and
prints files, findings and findings per revision for each set. `diff` lists every error removed
and every finding added or removed (the rerun that shows no true error was lost). `precision`
prints, per rule and severity, findings, labelled, correct and precision, from a labels file
whose entries name a finding by repository, path, line, rule and severity.

Exit status: 0, or 1 when a run ended other than 0/1 (`run`) or an error was removed (`diff`; an
error at the same place with a new message is reworded, not removed).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

from harness import BIN

SETS = Path(__file__).parent / "lint_histories" / "sets.json"
# the settings' environment variables: a run reads only the project's own files
SETTINGS_VARIABLES = (
    "SENTINEL_DATABASE_URL",
    "ENV_CONFIG",
    "SENTINEL_MIGRATIONS",
    "SENTINEL_METADATA",
    "FLASK_APP",
    "DATABASE_URL",
)


class Run(NamedTuple):
    key: str  # round__owner+name__versions__target, the output file's name
    repo: str
    root: Path
    versions: str  # relative to root
    spread: bool  # a history over release folders (versions/**)
    target: str


class FindingKey(NamedTuple):
    run: str
    path: str
    code: str
    severity: str
    line: int
    message: str


def planned_runs(sources: Path, rounds: set[str] | None) -> tuple[list[Run], list[str]]:
    """Every (set, versions directory, target) to lint, and the entries not found."""
    runs: list[Run] = []
    missing: list[str] = []
    for entry in json.loads(SETS.read_text()):
        if rounds and entry["round"] not in rounds:
            continue
        root = sources / entry["repo"].replace("/", "+")
        for listed in entry["versions"]:
            spread = listed.endswith("/**")
            pattern = listed[:-3] if spread else listed
            found = sorted(p for p in glob.glob(str(root / pattern)) if os.path.isdir(p))
            if not found:
                missing.append(f"{entry['repo']}: {listed}")
            for path in found:
                versions = os.path.relpath(path, root)
                for target in entry["targets"]:
                    slug = versions.replace("/", "_")
                    key = f"{entry['round']}__{root.name}__{slug}__{target}"
                    runs.append(Run(key, entry["repo"], root, versions, spread, target))
    return runs, missing


def migrations_directory(run: Run) -> str:
    """The directory holding env.py (the versions directory's parent); the versions directory
    itself when the revisions sit beside no env.py (Flask-Alembic's layout)."""
    parent = os.path.dirname(run.versions)
    if (run.root / parent / "env.py").is_file():
        return parent
    if not (run.root / run.versions / "versions").is_dir():
        return run.versions
    return parent


def lint(run: Run, out: Path) -> int:
    command = [str(BIN / "alembic-sentinel"), "--migrations", migrations_directory(run)]
    command += ["lint", "--all", "--format", "json", "--target-server", run.target]
    if run.spread:
        command += sorted(
            os.path.relpath(path, run.root)
            for path in glob.glob(str(run.root / run.versions / "**" / "*.py"), recursive=True)
            if os.path.basename(path) != "__init__.py"
        )
    with tempfile.TemporaryDirectory(prefix="lint-histories-") as cache:
        env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
        env.update(XDG_CACHE_HOME=cache, NO_COLOR="1")
        done = subprocess.run(
            command, cwd=run.root, env=env, capture_output=True, text=True, timeout=900
        )
    (out / f"{run.key}.json").write_text(done.stdout)
    if done.returncode not in (0, 1):
        print(f"{run.key}: exit {done.returncode}: {done.stderr.strip()[-300:]}", file=sys.stderr)
    return done.returncode


def run_command(sources: Path, out: Path, rounds: set[str] | None, jobs: int) -> int:
    runs, missing = planned_runs(sources, rounds)
    for entry in missing:
        print(f"not found under {sources}: {entry}", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        codes = list(pool.map(lambda run: lint(run, out), runs))
    print("| set | target | files | findings | errors | per revision |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for run in runs:
        report = _report(out, run.key) or {}
        findings = report.get("findings", [])
        files = int(report.get("files") or 0)
        errors = sum(1 for f in findings if f["severity"] == "error")
        per = f"{len(findings) / files:.2f}" if files else "-"
        label = f"{run.key.split('__')[0]} {run.repo} `{run.versions}`"
        print(f"| {label} | {run.target} | {files} | {len(findings)} | {errors} | {per} |")
    bad = sum(1 for code in codes if code not in (0, 1))
    print(f"{len(runs)} runs, {bad} ended other than 0/1, {len(missing)} not found -> {out}")
    return 1 if bad else 0


def _report(out: Path, key: str) -> dict[str, Any] | None:
    path = out / f"{key}.json"
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def finding_keys(out: Path) -> Counter[FindingKey]:
    keys: Counter[FindingKey] = Counter()
    for path in sorted(out.glob("*.json")):
        report = _report(out, path.stem)
        for f in (report or {}).get("findings", []):
            key = FindingKey(
                path.stem,
                f.get("path") or "",
                f["code"],
                f["severity"],
                f.get("line") or 0,
                f["message"],
            )
            keys[key] += 1
    return keys


def diff_command(before_dir: Path, after_dir: Path) -> int:
    before, after = finding_keys(before_dir), finding_keys(after_dir)
    removed, added = before - after, after - before
    total_before, total_after = sum(before.values()), sum(after.values())
    print(f"findings before {total_before}, after {total_after}")
    # a finding at the same place (run, file, line, rule, severity) whose message changed is
    # reworded, not lost: an error counts as removed only when nothing stands in its place
    place: Counter[tuple[str, str, str, str, int]] = Counter(k[:5] for k in added.elements())
    reworded: list[FindingKey] = []
    for key in sorted(removed.elements()):
        if place[key[:5]]:
            place[key[:5]] -= 1
            reworded.append(key)
    gone = removed - Counter(reworded)
    lost_errors = [k for k in gone if k.severity == "error"]
    for title, keys in (
        ("errors removed", lost_errors),
        ("warnings and notices removed", [k for k in gone if k.severity != "error"]),
        ("reworded (the old message; the new one is among the added)", reworded),
        ("added", list(added)),
    ):
        print(f"\n{title} ({len(keys)})")
        for k in sorted(keys):
            print(f"- {k.run} {k.path}:{k.line} {k.code} {k.severity}: {k.message}")
    return 1 if lost_errors else 0


def precision_command(out: Path, labels_path: Path) -> int:
    """Labels: [{"repo", "path", "line", "code", "severity", "correct": bool, "reason"}], and
    optionally "target" (mysql-8.0, postgresql) when a finding of a set judged for two targets
    is right for one of them only; a label without a target holds for every target."""
    labels = json.loads(labels_path.read_text())
    verdicts = {
        (e["repo"], e["path"], e["line"], e["code"], e["severity"], e.get("target")): bool(
            e["correct"]
        )
        for e in labels
    }
    counts: Counter[tuple[str, str, str]] = Counter()
    for key, times in finding_keys(out).items():
        repo = key.run.split("__")[1].replace("+", "/", 1)
        target = key.run.rsplit("__", 1)[-1]
        counts[(key.code, key.severity, "findings")] += times
        found = (repo, key.path, key.line, key.code, key.severity)
        verdict = verdicts.get((*found, target), verdicts.get((*found, None)))
        if verdict is not None:
            counts[(key.code, key.severity, "labelled")] += times
            counts[(key.code, key.severity, "correct")] += times if verdict else 0
    print("| rule | severity | findings | labelled | correct | precision |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for code, severity in sorted({(c, s) for c, s, _ in counts}):
        labelled = counts[(code, severity, "labelled")]
        correct = counts[(code, severity, "correct")]
        share = f"{100 * correct / labelled:.0f}%" if labelled else "-"
        found = counts[(code, severity, "findings")]
        print(f"| {code} | {severity} | {found} | {labelled} | {correct} | {share} |")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    run = verbs.add_parser("run", help="lint every set")
    run.add_argument("sources", type=Path, help="folder holding <owner>+<name> trees")
    run.add_argument("out", type=Path, help="folder for one JSON report per run")
    run.add_argument("--round", action="append", help="only these rounds (r13, ...)")
    run.add_argument("--jobs", type=int, default=2)
    diff = verbs.add_parser("diff", help="compare two outputs finding by finding")
    diff.add_argument("before", type=Path)
    diff.add_argument("after", type=Path)
    precision = verbs.add_parser("precision", help="count the labelled findings of an output")
    precision.add_argument("out", type=Path)
    precision.add_argument("labels", type=Path)
    args = parser.parse_args(argv)
    if args.verb == "run":
        rounds = set(args.round) if args.round else None
        return run_command(args.sources.resolve(), args.out, rounds, args.jobs)
    if args.verb == "diff":
        return diff_command(args.before, args.after)
    return precision_command(args.out, args.labels)


if __name__ == "__main__":
    sys.exit(main())

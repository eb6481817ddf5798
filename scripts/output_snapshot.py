"""Write what alembic-sentinel prints on fixed inputs into a folder, to compare two versions.

A refactor that moves code must not change a byte of output. This runs the demo and the verbs
that read revisions (heads, graph, history, lint in every format, check, the ci report in
Markdown and JSON) on the benchmarks' synthetic projects, with the package imported from
`--tree` (a checkout: the current one, or a `git worktree` of an older commit), and writes each
output to a file. Paths of temporary folders, timings and random merge ids are normalised.

    python scripts/output_snapshot.py --tree . /tmp/after
    git worktree add /tmp/before HEAD~3
    python scripts/output_snapshot.py --tree /tmp/before /tmp/b
    diff -r /tmp/b /tmp/after
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

# variables that would point the tool at another project or change its colours
_SCRUBBED = ("ENV_CONFIG", "SENTINEL_", "ALEMBIC_SENTINEL_", "GIT_", "NO_COLOR", "GITHUB_")
_TIMING = re.compile(r"\b\d+(\.\d+)?( ?m?s\b|x\b)")
_NEW_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])")
_GRAPH_LINE = re.compile(r"^[*|/\\ ]*<SHA> ?")
_GIT_SHA = re.compile(r"\b[0-9a-f]{7}\b")


def environment(tree: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED)}
    env["PYTHONPATH"] = str(tree)
    env["XDG_CACHE_HOME"] = str(cache)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "Snapshot"
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "snapshot@example.invalid"
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    return env


def normalise(text: str, *roots: Path) -> str:
    for root in roots:
        text = text.replace(str(root.resolve()), "<TMP>").replace(str(root), "<TMP>")
    return _TIMING.sub("<T>", text)


def run(args: Sequence[str], cwd: Path, env: dict[str, str]) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "alembic_sentinel", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return f"$ alembic-sentinel {' '.join(args)}\n{completed.stdout}(exit {completed.returncode})\n"


def snapshot_project(name: str, project: Path, out: Path, env: dict[str, str], tmp: Path) -> None:
    verbs = [
        ["heads"],
        ["heads", "--format", "json"],
        ["graph"],
        ["graph", "--format", "json"],
        ["history"],
        ["lint", "--all"],
        ["lint", "--all", "--format", "json"],
        ["lint", "--all", "--format", "sarif"],
        ["lint", "--all", "--format", "github"],
        ["lint", "--all", "--show-ddl", "--target-server", "mariadb-10.11"],
        ["check"],
        ["check", "--format", "json"],
    ]
    for verb in verbs:
        text = run(verb, project, env)
        (out / f"{name}.{'_'.join(v.lstrip('-') for v in verb)}.txt").write_text(
            normalise(text, tmp), encoding="utf-8"
        )


def synthetic_projects(tmp: Path, out: Path, env: dict[str, str]) -> None:
    from drift_bench import Project
    from heads_bench import write_project

    for shape in ("linear", "merges"):
        root = tmp / f"heads-{shape}"
        root.mkdir()
        write_project(root, 120, shape)
        (root / "pyproject.toml").write_text(
            '[tool.alembic-sentinel]\nmigrations = "migrations"\n', encoding="utf-8"
        )
        snapshot_project(f"heads-{shape}", root, out, env, tmp)
    root = tmp / "drift"
    root.mkdir()
    project = Project(root, 150, f"sqlite:///{root / 'unused.db'}")
    snapshot_project("drift", root, out, env, tmp)
    # a model change without its revision: the drift report
    project.schema.add_column(project.schema.tables[sorted(project.schema.tables)[0]])
    project.write_models()
    for verb in (["check"], ["check", "--format", "json"]):
        text = normalise(run(verb, root, env), tmp)
        (out / f"drift-changed.{'_'.join(verb)}.txt").write_text(text, encoding="utf-8")


def sorted_git_graphs(text: str) -> str:
    """`git log --graph` orders commits made in the same second at random: sort each run."""
    out: list[str] = []
    run: list[str] = []
    for line in [*text.split("\n"), None]:
        if line is not None and _GRAPH_LINE.match(line):
            run.append(_GRAPH_LINE.sub("", line))
            continue
        out.extend(f"<git log> {entry}" for entry in sorted(run))
        run = []
        if line is not None:
            out.append(line)
    return "\n".join(out)


def demo(tree: Path, tmp: Path, out: Path, env: dict[str, str]) -> None:
    copy = tmp / "demo"
    copy.mkdir()
    for name in ("orm", "migrations", "env", "demo", "hooks"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("db", "drop_database", "pyproject.toml"):
        shutil.copy2(REPO / name, copy / name)
    completed = subprocess.run(
        ["bash", "demo/demo.sh"],
        cwd=copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    text = re.sub(r"/tmp/tmp[\w.]+", "<TMP>", completed.stdout)
    text = normalise(text, copy, tmp)
    # ids made at run time: revisions `migrate` and the merge hook wrote, git commits
    known = {path.name[:12] for path in (REPO / "migrations" / "versions").glob("*.py")}
    text = _NEW_ID.sub(lambda m: m[0] if m[0] in known else "<NEWID>", text)
    text = _GIT_SHA.sub("<SHA>", text)
    text = sorted_git_graphs(text)
    text = re.sub(r"sentinel(\\?)_(ci|shadow)\\?_[0-9a-f]+", r"sentinel\1_\2_<ID>", text)
    (out / "demo.txt").write_text(f"{text}(exit {completed.returncode})\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=REPO, help="checkout whose package runs")
    parser.add_argument("out", type=Path, help="folder for the outputs (created)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="snapshot-") as scratch:
        tmp = Path(scratch)
        env = environment(args.tree.resolve(), tmp / "cache")
        synthetic_projects(tmp, args.out, env)
        demo(args.tree.resolve(), tmp, args.out, env)
    print(f"wrote {len(list(args.out.iterdir()))} outputs to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

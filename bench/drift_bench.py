"""Benchmark `alembic-sentinel check` against a fresh `alembic upgrade head` + `alembic check`.

Generates synthetic Alembic projects (100 / 500 / 1,000 revisions by default) whose models match
what their revisions build, then times, as whole processes started from the project directory
on MariaDB/MySQL:

- fresh: what a team has without alembic-sentinel: an empty schema, `alembic upgrade head`, then
  `alembic check` (the schema is created before and dropped after, untimed);
- cold: `alembic-sentinel check` with no shadow database (`cache clear` first, untimed): it
  creates the shadow schema, migrates it through every revision and compares;
- warm: `alembic-sentinel check` again, its cached shadow already at head;
- warm +1: one new revision (and the matching model change) added on top, then
  `alembic-sentinel check`: the cached shadow applies only that revision.

Each measurement warms up once (which also builds the shadow), then takes the median of `--repeat`
runs, interleaved (fresh, cold, warm, +1 and back) so load on the shared machine spreads over all
of them. Every check must pass: exit 0, no change reported (and the `+1` revision makes the
project one revision longer per run; the table says by how much). A check that reports drift
where there is none, or fails, exits 1; timings never fail the run.

The generated project is an ordinary Alembic project: `alembic.ini` (`script_location`,
`prepend_sys_path`, `sqlalchemy.url`), a stock `env.py` reading `target_metadata` from
`models.py`, and revisions that create tables (some with a foreign key), add and drop columns,
widen column types, add indexes, and now and then branch and merge. alembic-sentinel never runs
that env.py: it reads `metadata = "models:Base.metadata"` from pyproject.toml and gets `--url`.

Environment control as in heads_bench.py: settings variables are scrubbed, bytecode is written to
PYTHONPYCACHEPREFIX and alembic-sentinel's caches to XDG_CACHE_HOME, both in the scratch
directory. Only `sentinel_bench_*` schemas are created here (and dropped); the shadow schemas
alembic-sentinel creates are dropped with `alembic-sentinel cache clear` at the end.

    .venv/bin/python bench/drift_bench.py [--sizes 100,500,1000] [--repeat 3]
                                          [--server mysql+pymysql://root@127.0.0.1:3306/]
                                          [--json results.json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from harness import (
    BIN,
    REVISION,
    TEMPLATE,
    add_json_argument,
    add_keep_argument,
    add_repeat_argument,
    add_server_argument,
    alembic_ini,
    bench_env,
    failed_run,
    markdown_table,
    require_tools,
    scratch_directory,
    sizes_argument,
    timed,
)

DEFAULT_SIZES = (100, 500, 1000)
SCHEMA_PREFIX = "sentinel_bench_"
TABLE_EVERY = 10  # one table per this many revisions
MERGE_EVERY = 50  # a block of two parallel branches and their merge per this many revisions
# the "fixed" schema: the tables of the first 100 revisions, each with at most this many added
# columns; later revisions keep changing them (add, widen, index, drop) as long histories do
FIXED_TABLES = 10
FIXED_EXTRA_COLUMNS = 6
SCHEMAS = ("fixed", "growing")
KINDS = ("fresh", "cold", "warm", "plus1")
LABELS = {
    "fresh": "fresh upgrade + alembic check",
    "cold": "sentinel check, cold",
    "warm": "sentinel check, warm",
    "plus1": "sentinel check, warm +1 revision",
}


PYPROJECT = """\
[tool.alembic-sentinel]
migrations = "migrations"
metadata = "models:Base.metadata"
"""

# Alembic's generic template env.py, with the project's models as target_metadata
ENV_PY = """\
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from models import Base

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"""


# column types: (revision code, model code); "str" columns carry their length separately
TYPES = {
    "int": ("sa.Integer()", "Integer"),
    "datetime": ("sa.DateTime()", "DateTime"),
    "text": ("sa.Text()", "Text"),
    "numeric": ("sa.Numeric(precision=10, scale=2)", "Numeric(10, 2)"),
}
STR_LENGTHS = (20, 40, 80)


# --- the synthetic schema and its history -------------------------------------------------------


@dataclass
class Col:
    name: str
    kind: str  # a TYPES key or "str"
    length: int = 0
    nullable: bool = True
    fk: str | None = None  # referenced table
    primary_key: bool = False

    def revision_type(self) -> str:
        return f"sa.String(length={self.length})" if self.kind == "str" else TYPES[self.kind][0]

    def model_type(self) -> str:
        return f"String({self.length})" if self.kind == "str" else TYPES[self.kind][1]


@dataclass
class Table:
    name: str
    columns: dict[str, Col] = field(default_factory=dict)
    indexes: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (column, unique)

    def indexed(self) -> set[str]:
        return {column for column, _ in self.indexes.values()}


@dataclass(frozen=True)
class Step:
    """One revision: its id, parent(s), message and code."""

    revision: str
    down_revision: str | tuple[str, ...] | None
    message: str
    upgrade: str
    downgrade: str


def fk_name(table: str, column: str) -> str:
    return f"fk_{table}_{column}"


def column_code(col: Col, indent: str) -> str:
    args = [repr(col.name), col.revision_type()]
    if col.primary_key:
        args.append("autoincrement=True")
    args.append(f"nullable={col.nullable}")
    return f"{indent}sa.Column({', '.join(args)}),"


class Schema:
    """The schema the revisions build, change by change; renders both revisions and models."""

    def __init__(self, rng: random.Random, fixed: bool = False) -> None:
        self.rng = rng
        self.fixed = fixed
        self.tables: dict[str, Table] = {}
        self.counter = 0

    def wants_table(self, revisions: int) -> bool:
        if self.fixed and len(self.tables) >= FIXED_TABLES:
            return False
        return len(self.tables) < revisions // TABLE_EVERY + 1

    def new_name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter:05d}"

    # each change returns (message, upgrade body, downgrade body)

    def create_table(self) -> tuple[str, str, str]:
        name = f"table_{len(self.tables) + 1:04d}"
        table = Table(name)
        table.columns["id"] = Col("id", "int", nullable=False, primary_key=True)
        table.columns["name"] = Col("name", "str", 80, nullable=False)
        table.columns["created"] = Col("created", "datetime")
        if self.tables and len(self.tables) % 3 == 2:
            parent = self.rng.choice(sorted(self.tables))
            table.columns["parent_id"] = Col("parent_id", "int", fk=parent)
        up = ["    op.create_table(", f"        {name!r},"]
        up += [column_code(col, "        ") for col in table.columns.values()]
        for col in table.columns.values():
            if col.fk:
                up.append(
                    f"        sa.ForeignKeyConstraint([{col.name!r}], [{col.fk + '.id'!r}], "
                    f"name={fk_name(name, col.name)!r}),"
                )
        up += ["        sa.PrimaryKeyConstraint('id'),", "    )"]
        self.tables[name] = table
        return f"create {name}", "\n".join(up), f"    op.drop_table({name!r})"

    def add_column(self, table: Table) -> tuple[str, str, str]:
        kind = self.rng.choice(["str", "str", "int", "datetime", "text", "numeric"])
        col = Col(self.new_name("col"), kind, self.rng.choice(STR_LENGTHS) if kind == "str" else 0)
        table.columns[col.name] = col
        return (
            f"add {col.name} to {table.name}",
            f"    op.add_column({table.name!r}, {column_code(col, '').rstrip(',')})",
            f"    op.drop_column({table.name!r}, {col.name!r})",
        )

    def optional_columns(self, table: Table, kinds: Sequence[str]) -> list[Col]:
        """Added columns (not id/name/created/FK) of the given kinds, not indexed."""
        indexed = table.indexed()
        return [
            col
            for col in table.columns.values()
            if col.name.startswith("col_") and col.kind in kinds and col.name not in indexed
        ]

    def create_index(self, table: Table) -> tuple[str, str, str] | None:
        candidates = self.optional_columns(table, ("str", "int", "datetime", "numeric"))
        if not candidates:
            return None
        col = self.rng.choice(candidates)
        unique = self.rng.random() < 0.2
        name = f"{'uq' if unique else 'ix'}_{table.name}_{col.name}"
        table.indexes[name] = (col.name, unique)
        return (
            f"index {table.name}.{col.name}",
            f"    op.create_index({name!r}, {table.name!r}, [{col.name!r}], unique={unique})",
            f"    op.drop_index({name!r}, table_name={table.name!r})",
        )

    def widen_column(self, table: Table) -> tuple[str, str, str] | None:
        candidates = [c for c in self.optional_columns(table, ("str",)) if c.length < 255]
        if not candidates:
            return None
        col = self.rng.choice(candidates)
        old, new = col.length, min(col.length * 2, 255)
        col.length = new
        alter = (
            f"    op.alter_column({table.name!r}, {col.name!r}, existing_type=sa.String(length="
            "{old}), type_=sa.String(length={new}), existing_nullable=True)"
        )
        return (
            f"widen {table.name}.{col.name}",
            alter.format(old=old, new=new),
            alter.format(old=new, new=old),
        )

    def drop_column(self, table: Table) -> tuple[str, str, str] | None:
        candidates = self.optional_columns(table, (*TYPES, "str"))
        if len(candidates) < 2:
            return None
        col = self.rng.choice(candidates)
        del table.columns[col.name]
        return (
            f"drop {col.name} from {table.name}",
            f"    op.drop_column({table.name!r}, {col.name!r})",
            f"    op.add_column({table.name!r}, {column_code(col, '').rstrip(',')})",
        )

    def drop_index(self, table: Table) -> tuple[str, str, str] | None:
        if not table.indexes:
            return None
        name = self.rng.choice(sorted(table.indexes))
        column, unique = table.indexes.pop(name)
        return (
            f"drop index {name}",
            f"    op.drop_index({name!r}, table_name={table.name!r})",
            f"    op.create_index({name!r}, {table.name!r}, [{column!r}], unique={unique})",
        )

    def full(self, table: Table) -> bool:
        added = [name for name in table.columns if name.startswith("col_")]
        return self.fixed and len(added) >= FIXED_EXTRA_COLUMNS

    def change(self, tables: Sequence[str] | None = None) -> tuple[str, str, str]:
        """One change to an existing table (from `tables` if given)."""
        table = self.tables[self.rng.choice(list(tables or sorted(self.tables)))]
        roll = self.rng.random()
        attempt = None
        if self.full(table):
            # a bounded schema: make room (an index first if every droppable column has one)
            attempt = self.widen_column(table) if roll < 0.3 else None
            attempt = attempt or self.drop_column(table) or self.drop_index(table)
            if attempt is not None:
                return attempt
        if roll < 0.2:
            attempt = self.create_index(table)
        elif roll < 0.32:
            attempt = self.widen_column(table)
        elif roll < 0.4:
            attempt = self.drop_column(table)
        return attempt or self.add_column(table)

    def models(self, revisions: int) -> str:
        lines = [
            f'"""Models of a synthetic project: the schema its {revisions:,} revisions build."""',
            "",
            "from sqlalchemy import (",
            "    Column,",
            "    DateTime,",
            "    ForeignKey,",
            "    Index,",
            "    Integer,",
            "    Numeric,",
            "    String,",
            "    Text,",
            ")",
            "from sqlalchemy.orm import DeclarativeBase",
            "",
            "",
            "class Base(DeclarativeBase):",
            "    pass",
        ]
        for table in self.tables.values():
            lines += ["", "", f"class {table.name.title().replace('_', '')}(Base):"]
            lines.append(f"    __tablename__ = {table.name!r}")
            if table.indexes:
                lines.append("    __table_args__ = (")
                for name, (column, unique) in table.indexes.items():
                    lines.append(f"        Index({name!r}, {column!r}, unique={unique}),")
                lines.append("    )")
            lines.append("")
            for col in table.columns.values():
                args = [col.model_type()]
                if col.fk:
                    args.append(
                        f"ForeignKey({col.fk + '.id'!r}, name={fk_name(table.name, col.name)!r})"
                    )
                if col.primary_key:
                    args.append("primary_key=True")
                else:
                    args.append(f"nullable={col.nullable}")
                lines.append(f"    {col.name} = Column({', '.join(args)})")
        return "\n".join(lines) + "\n"


class Project:
    """A synthetic project on disk; `add_revision` grows it by one revision and model change."""

    def __init__(self, root: Path, size: int, url: str, seed: int = 0, fixed: bool = False) -> None:
        self.root = root
        self.size = size
        self.rng = random.Random(f"drift-{'fixed-' if fixed else ''}{size}-{seed}")
        self.schema = Schema(self.rng, fixed)
        self.used: set[str] = set()
        self.count = 0
        self.head: str | None = None
        self.versions = root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        (root / "alembic.ini").write_text(
            alembic_ini("prepend_sys_path = .", f"sqlalchemy.url = {url}"), encoding="utf-8"
        )
        (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        (root / "migrations" / "env.py").write_text(ENV_PY, encoding="utf-8")
        shutil.copyfile(TEMPLATE, root / "migrations" / "script.py.mako")
        self.generate(size)
        self.write_models()

    def new_id(self) -> str:
        while True:
            rev = f"{self.rng.getrandbits(48):012x}"
            if rev not in self.used:
                self.used.add(rev)
                return rev

    def write(self, down: str | tuple[str, ...] | None, change: tuple[str, str, str]) -> str:
        message, upgrade, downgrade = change
        rev = self.new_id()
        revises = ", ".join(down) if isinstance(down, tuple) else (down or "")
        created = datetime(2023, 1, 2, 9, 0, 0) + timedelta(minutes=37 * self.count)
        text = REVISION.format(
            message=message,
            revision=rev,
            revises=revises,
            create_date=created,
            down_revision=down,
            upgrade=upgrade,
            downgrade=downgrade,
        )
        slug = "".join(c if c.isalnum() else "_" for c in message.lower())[:40]
        (self.versions / f"{rev}_{slug}.py").write_text(text, encoding="utf-8")
        self.count += 1
        return rev

    def generate(self, size: int) -> None:
        schema = self.schema
        while self.count < size:
            remaining = size - self.count
            tables = sorted(schema.tables)
            if self.count % MERGE_EVERY == MERGE_EVERY - 6 and remaining >= 6 and len(tables) >= 2:
                # two developers' branches of two revisions each on different tables, and
                # the merge revision that joins them
                trunk = self.write(self.head, schema.change())
                pair = self.rng.sample(tables, 2)
                tips = []
                for table in pair:
                    tip = trunk
                    for _ in range(2):
                        tip = self.write(tip, schema.change([table]))
                    tips.append(tip)
                self.head = self.write(tuple(tips), ("merge heads", "    pass", "    pass"))
            elif schema.wants_table(self.count):
                self.head = self.write(self.head, schema.create_table())
            else:
                self.head = self.write(self.head, schema.change())

    def write_models(self) -> None:
        (self.root / "models.py").write_text(self.schema.models(self.count), encoding="utf-8")

    def add_revision(self) -> str:
        """One new revision on top (a new column) and the same change in models.py."""
        table = self.schema.tables[self.rng.choice(sorted(self.schema.tables))]
        self.head = self.write(self.head, self.schema.add_column(table))
        self.write_models()
        return self.head


# --- running and timing -------------------------------------------------------------------------


class WrongAnswer(Exception):
    """A check failed or reported drift on a project whose models match its revisions."""


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rebuilt: bool | None = None


def run(command: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str, str]:
    """Wall and CPU time, stdout and stderr of one successful process."""
    wall, cpu, completed = timed(command, cwd, env)
    if completed.returncode != 0:
        raise WrongAnswer(failed_run(command, cwd, completed))
    return wall, cpu, completed.stdout, completed.stderr


class Server:
    """The MariaDB/MySQL server; creates and drops `sentinel_bench_*` schemas only."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.url = make_url(url).set(database="")
        self.engine = create_engine(self.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")

    def database_url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            connection.execute(text(sql))

    def create(self, name: str) -> None:
        assert name.startswith(SCHEMA_PREFIX)
        self.execute(f"DROP DATABASE IF EXISTS `{name}`")
        self.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")

    def drop(self, name: str) -> None:
        assert name.startswith(SCHEMA_PREFIX)
        self.execute(f"DROP DATABASE IF EXISTS `{name}`")

    def version(self) -> str:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            return str(connection.execute(text("SELECT VERSION()")).scalar())


def reach_server(url: str) -> Server | None:
    """The server at `url`; None, after saying why in one line, when it does not answer."""
    try:
        server = Server(url)
        server.version()
    except Exception as exc:  # the bench needs the server
        print(f"cannot reach the server at {url}: {exc}", file=sys.stderr)
        return None
    return server


@dataclass
class Result:
    schema: str  # "fixed" or "growing"
    revisions: int
    tables: int
    added: int  # revisions the "+1" runs added on top, in all
    runs: dict[str, list[Run]]

    def median(self, kind: str) -> float:
        return statistics.median(r.wall for r in self.runs[kind])

    def median_cpu(self, kind: str) -> float:
        return statistics.median(r.cpu for r in self.runs[kind])


class Bench:
    def __init__(self, server: Server, root: Path, env: dict[str, str]) -> None:
        self.server = server
        self.root = root
        self.env = env

    def sentinel(self, url: str, *args: str) -> list[str]:
        return [str(BIN / "alembic-sentinel"), *args, "--url", url]

    def fresh(self, project: Project, database: str) -> Run:
        """A new schema, `alembic upgrade head`, `alembic check`; only the two commands timed."""
        self.server.create(database)
        try:
            up_wall, up_cpu, _, _ = run(
                [str(BIN / "alembic"), "upgrade", "head"], project.root, self.env
            )
            wall, cpu, out, err = run([str(BIN / "alembic"), "check"], project.root, self.env)
        finally:
            self.server.drop(database)
        output = out + err
        if "No new upgrade operations detected" not in output:
            raise WrongAnswer(f"alembic check in {project.root}:\n{output}")
        return Run(up_wall + wall, up_cpu + cpu)

    def check(self, project: Project, url: str) -> Run:
        command = [*self.sentinel(url, "check"), "--format", "json"]
        wall, cpu, output, err = run(command, project.root, self.env)
        document = json.loads(output)
        if document.get("changes"):
            raise WrongAnswer(
                f"alembic-sentinel check in {project.root} reported drift:\n{output}{err}"
            )
        return Run(wall, cpu, bool(document.get("shadow_rebuilt")))

    def clear(self, project: Project, url: str) -> None:
        run(self.sentinel(url, "cache", "clear"), project.root, self.env)

    def negative_control(self, project: Project, url: str) -> None:
        """A model change without a revision must be reported (the check is not vacuous)."""
        models = project.root / "models.py"
        source = models.read_text(encoding="utf-8")
        models.write_text(
            source + "\n\nBase.metadata.tables['table_0001'].append_column(\n"
            "    Column('not_migrated', Integer, nullable=True)\n)\n",
            encoding="utf-8",
        )
        try:
            command = [*self.sentinel(url, "check"), "--format", "json"]
            completed = subprocess.run(
                command, cwd=project.root, env=self.env, capture_output=True, text=True
            )
        finally:
            models.write_text(source, encoding="utf-8")
        changes = json.loads(completed.stdout or "{}").get("changes", [])
        if completed.returncode != 1 or not any("not_migrated" in c for c in changes):
            raise WrongAnswer(
                f"alembic-sentinel check missed a model change without revision in "
                f"{project.root} (exit {completed.returncode}):\n"
                f"{completed.stdout}{completed.stderr}"
            )

    def measure(self, schema: str, size: int, repeat: int) -> Result:
        name = f"{SCHEMA_PREFIX}{schema}_{size}"
        url = self.server.database_url(name)
        directory = self.root / f"project-{schema}-{size}"
        directory.mkdir()
        project = Project(directory, size, url, fixed=schema == "fixed")
        runs: dict[str, list[Run]] = {kind: [] for kind in KINDS}
        added = 0

        def once(kind: str) -> Run:
            nonlocal added
            if kind == "fresh":
                return self.fresh(project, name)
            if kind == "cold":
                self.clear(project, url)
            if kind == "plus1":
                project.add_revision()
                added += 1
            return self.check(project, url)

        try:
            # warm-up: page cache, bytecode, the shadow's first build; and the answers
            for kind in KINDS:
                once(kind)
            added = 0
            self.negative_control(project, url)
            for index in range(repeat):
                # fresh and cold at either end in turn; warm and +1 each follow a check that
                # left the shadow at head
                order = KINDS if index % 2 == 0 else KINDS[::-1]
                for kind in order:
                    result = once(kind)
                    expected = kind == "cold"
                    if result.rebuilt is not None and result.rebuilt != expected:
                        print(
                            f"  warning: {kind} run on {size:,} revisions "
                            f"{'rebuilt' if result.rebuilt else 'did not rebuild'} the shadow",
                            file=sys.stderr,
                        )
                    runs[kind].append(result)
        finally:
            self.clear(project, url)
            self.server.drop(name)
        return Result(schema, size, len(project.schema.tables), added, runs)


def table(results: Sequence[Result]) -> str:
    header = (
        "schema",
        "revisions",
        "tables",
        "fresh upgrade + check (s)",
        "sentinel cold (s)",
        "sentinel warm (s)",
        "warm +1 revision (s)",
        "fresh / warm",
        "fresh / cold",
        "fresh / warm +1",
    )
    rows = []
    for r in results:
        fresh, cold, warm, plus1 = (r.median(kind) for kind in KINDS)
        rows.append(
            (
                r.schema,
                f"{r.revisions:,}",
                f"{r.tables:,}",
                f"{fresh:.2f}",
                f"{cold:.2f}",
                f"{warm:.2f}",
                f"{plus1:.2f}",
                f"{fresh / warm:.1f}x",
                f"{fresh / cold:.2f}x",
                f"{fresh / plus1:.1f}x",
            )
        )
    return markdown_table(header, rows)


def scaling(results: Sequence[Result]) -> list[str]:
    """warm (and warm +1) time of each larger size over the smallest size's, per schema kind."""
    lines = []
    for schema in SCHEMAS:
        same = [r for r in results if r.schema == schema]
        first = same[0] if same else None
        for r in same[1:]:
            assert first is not None
            lines.append(
                f"{schema} schema: warm {r.revisions:,} / warm {first.revisions:,}: "
                f"{r.median('warm') / first.median('warm'):.2f}x "
                f"(warm +1: {r.median('plus1') / first.median('plus1'):.2f}x)"
            )
    return lines


def schemas_argument(value: str) -> list[str]:
    kinds = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [kind for kind in kinds if kind not in SCHEMAS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"expected fixed and/or growing, got {value!r}")
    return kinds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Time `alembic-sentinel check` (cold, warm, warm +1 revision) against a "
        "fresh `alembic upgrade head && alembic check`, as whole processes on MariaDB/MySQL."
    )
    parser.add_argument(
        "--sizes",
        type=sizes_argument(10),
        default=list(DEFAULT_SIZES),
        help="comma-separated revision counts (default: 100,500,1000)",
    )
    add_repeat_argument(parser, 3, "of each kind")
    add_server_argument(parser)
    parser.add_argument(
        "--schema",
        type=schemas_argument,
        default=list(SCHEMAS),
        help="comma-separated: fixed (10 tables whatever the history's length, so only the "
        "history grows), growing (a table per 10 revisions); default: fixed,growing",
    )
    add_json_argument(parser)
    add_keep_argument(parser, "projects")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not require_tools("alembic", "alembic-sentinel"):
        return 2
    server = reach_server(args.server)
    if server is None:
        return 2
    server_version = server.version()

    import alembic
    import sqlalchemy

    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"Alembic {alembic.__version__}, SQLAlchemy {sqlalchemy.__version__}, "
        f"{server_version}, {os.cpu_count()} CPUs; "
        f"median of {args.repeat} runs after 1 warm-up",
        flush=True,
    )
    results: list[Result] = []
    with scratch_directory(args.keep, "drift-bench-") as root:
        bench = Bench(server, root, bench_env(root))
        try:
            for schema in args.schema:
                for size in args.sizes:
                    result = bench.measure(schema, size, args.repeat)
                    results.append(result)
                    times = ", ".join(f"{kind} {result.median(kind):.2f}s" for kind in KINDS)
                    print(
                        f"  {schema} schema, {size:>6,} revisions: {times}",
                        file=sys.stderr,
                        flush=True,
                    )
        except WrongAnswer as exc:
            print(f"WRONG ANSWER: {exc}", file=sys.stderr)
            return 1
        finally:
            server.engine.dispose()

    print(table(results))
    for line in scaling(results):
        print(line)
    if any(r.added for r in results):
        print(
            "(each +1 run adds a revision: the timed runs left each project "
            f"{results[0].added} revision{'s' if results[0].added > 1 else ''} longer "
            "than its nominal size, after the warm-up)"
        )
    if args.json:
        document = {
            "python": platform.python_version(),
            "alembic": alembic.__version__,
            "sqlalchemy": sqlalchemy.__version__,
            "server": server_version,
            "cpus": os.cpu_count(),
            "repeat": args.repeat,
            "results": [
                {
                    "schema": r.schema,
                    "revisions": r.revisions,
                    "tables": r.tables,
                    **{f"{kind}_s": r.median(kind) for kind in KINDS},
                    **{f"{kind}_cpu_s": r.median_cpu(kind) for kind in KINDS},
                    "runs": {kind: [run.wall for run in r.runs[kind]] for kind in KINDS},
                }
                for r in results
            ],
        }
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`alembic-sentinel`: the seed's `python db ...` workflow as one command line.

Dispatch stays thin: parse, resolve settings, call one verb in `commands`, and turn every error a
user can cause into a single line on stderr with a documented exit code.

Longer than 500 lines: every verb's arguments, descriptions and examples are declared here, in
one parser a user reads as `--help`; the dispatch itself is a few short functions.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext, redirect_stdout
from typing import Callable, NamedTuple, NoReturn, TextIO

from alembic_sentinel import __version__
from alembic_sentinel.error_handler import DEBUG_ENV, guarded
from alembic_sentinel.errors import (
    EXIT_OK,
)
from alembic_sentinel.graph.collector import collection_paused
from alembic_sentinel.report.render import FORMATS
from alembic_sentinel.settings import Overrides, Settings, resolve_settings

PROG = "alembic-sentinel"
MACHINE_FORMATS = ("json", "sarif")


class Verb(NamedTuple):
    summary: str  # one line, shown in the verb list and as the verb's description
    example: str


VERBS: dict[str, Verb] = {
    "migrate": Verb(
        "autogenerate a revision from the model changes (database must be at head)",
        'alembic-sentinel migrate -m "add isListed to election"',
    ),
    "upgrade": Verb(
        "upgrade the database to a revision (default: head)", "alembic-sentinel upgrade"
    ),
    "downgrade": Verb("downgrade the database to a revision", "alembic-sentinel downgrade -1"),
    "merge": Verb(
        "write a merge revision: `merge heads` or `merge REV REV ...`",
        "alembic-sentinel merge heads",
    ),
    "heads": Verb(
        "show the head revisions; fail on several heads or a broken graph",
        "alembic-sentinel heads --against origin/main",
    ),
    "lint": Verb(
        "review revisions for MySQL/MariaDB hazards (changed ones by default)",
        "alembic-sentinel lint --base origin/main --target-server mariadb-10.11",
    ),
    "graph": Verb(
        "analyze the revision graph: heads, bases, merge and branch points, problems",
        "alembic-sentinel graph --format json",
    ),
    "rebase": Verb(
        "re-parent this branch's new revisions onto another ref's head",
        "alembic-sentinel rebase --onto origin/main",
    ),
    "stats": Verb(
        "write the tables' sizes from information_schema (SELECTs only) for `plan` and `ci`",
        "alembic-sentinel stats --url mysql+pymysql://reader@replica/app -o table-stats.json",
    ),
    "plan": Verb(
        "estimate how long each operation of the revisions to apply runs and blocks writes",
        "alembic-sentinel plan --table-stats table-stats.json --format markdown",
    ),
    "current": Verb("show the revisions the database is at", "alembic-sentinel current"),
    "history": Verb("show the revision history", "alembic-sentinel history"),
    "check": Verb(
        "fail when the models differ from what the revisions build (shadow database)",
        "alembic-sentinel check --format json",
    ),
    "ci": Verb(
        "check a pull request's revisions on a scratch database; merge heads after a push",
        "alembic-sentinel ci --base-ref origin/main --format markdown",
    ),
    "cache": Verb(
        "`cache clear`: drop this project's shadow database and parse cache",
        "alembic-sentinel cache clear",
    ),
    "create-database": Verb(
        "create the configured database",
        "ENV_CONFIG=./env/dev.cfg alembic-sentinel create-database",
    ),
    "drop-database": Verb(
        "drop the configured database (asks first; refuses when PROD_ENV)",
        "ENV_CONFIG=./env/dev.cfg alembic-sentinel drop-database",
    ),
    "settings": Verb(
        "show the resolved settings and where each came from; describe the settings options",
        "ENV_CONFIG=./env/dev.cfg alembic-sentinel settings",
    ),
    "help": Verb(
        "show the help of alembic-sentinel, of a verb, or of the settings options",
        "alembic-sentinel help settings",
    ),
}
# verbs that read revision files only: no database, no ENV_CONFIG, no project imports
STATIC_VERBS = ("heads", "graph", "merge", "rebase", "lint")
SETTINGS_OPTIONS = "--config, --url, --migrations, --metadata, --flask-app, --[no-]run-env-py"
SETTINGS_WHERE = "(before or after the verb; `alembic-sentinel help settings`)"
SETTINGS_LINE = f"\n\nsettings: {SETTINGS_OPTIONS}\n  {SETTINGS_WHERE}"
SETTINGS_DESCRIPTION = """\
Every verb takes the settings options, before or after the verb. Each setting is read from,
highest first: the option, an environment variable (SENTINEL_DATABASE_URL, ENV_CONFIG,
SENTINEL_MIGRATIONS, SENTINEL_METADATA), the ENV_CONFIG file (SQLALCHEMY_DATABASE_URI or
DATABASE_*, PROD_ENV), [tool.alembic-sentinel] in pyproject.toml, the Flask app (--flask-app,
FLASK_APP or flask-app: its config, db.metadata and Migrate(...)), alembic.ini, and a default.
This verb prints each resolved value and where it came from."""


def add_settings_arguments(
    parser: argparse.ArgumentParser, default: object, *, shown: bool = True
) -> None:
    """The shared settings options; `shown=False` accepts them without listing them."""

    def described(text: str) -> str:
        return text if shown else argparse.SUPPRESS

    group = parser.add_argument_group("settings (override ENV_CONFIG, pyproject.toml, alembic.ini)")
    group.add_argument(
        "--config",
        default=default,
        help=described("ENV_CONFIG file (Flask-style .cfg) with the database"),
    )
    group.add_argument("--url", default=default, help=described("database URL (SQLAlchemy form)"))
    group.add_argument(
        "--migrations",
        default=default,
        help=described("migrations directory (the one holding versions/)"),
    )
    group.add_argument(
        "--metadata",
        default=default,
        help=described("target MetaData as MODULE:ATTRIBUTE (orm:Base.metadata)"),
    )
    group.add_argument(
        "--flask-app",
        metavar="APP",
        default=default,
        help=described(
            "the Flask app to read the database URL, db.metadata, the migrations directory and "
            "Migrate(...) options from, as FLASK_APP names it (module:create_app())"
        ),
    )
    group.add_argument(
        "--run-env-py",
        action=argparse.BooleanOptionalAction,
        default=default,
        help=described(
            "run the project's migrations/env.py as-is instead of configuring Alembic ourselves"
        ),
    )


def add_lint_arguments(parser: argparse.ArgumentParser) -> None:
    from alembic_sentinel.lint.commands import add_output_arguments

    parser.add_argument("files", nargs="*", metavar="FILE", help="revision files to lint")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--all", action="store_true", help="lint every revision")
    scope.add_argument(
        "--base",
        metavar="REF",
        help="lint revisions added or changed since the merge-base with REF "
        "(default: the upstream branch, else origin/HEAD, main or master)",
    )
    scope.add_argument("--explain", metavar="CODE", help="explain a rule and exit")
    add_output_arguments(parser)
    parser.add_argument(
        "--show-ddl",
        action="store_true",
        help="list the online-DDL algorithm (INSTANT/INPLACE/COPY) of every operation",
    )


def add_ci_arguments(parser: argparse.ArgumentParser) -> None:
    from alembic_sentinel.ci.commands import FAIL_ON, FORMATS, MODES

    # every option also comes from a SENTINEL_CI_* variable (the Action's inputs); None: unset
    parser.add_argument("--mode", choices=MODES, help="check (default) or merge-heads")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="server for the scratch schema (default: the configured database's server)",
    )
    parser.add_argument(
        "--base-ref", metavar="REF", help="the base branch (default on pull requests: origin/BASE)"
    )
    parser.add_argument("--fail-on", choices=FAIL_ON, help="findings that fail (default error)")
    parser.add_argument(
        "--comment",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="post or update the pull request comment (default on pull requests)",
    )
    parser.add_argument("--report", metavar="PATH", help="where to write the JSON report")
    parser.add_argument("--push", choices=("pr", "direct"), help="merge-heads: PR or direct push")
    parser.add_argument("--wait", metavar="SECONDS", help="wait this long for the server (60)")
    parser.add_argument("--format", choices=FORMATS, help="output outside GitHub Actions (text)")
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write the report in --format to FILE (whole or not at all) instead of stdout",
    )
    parser.add_argument(
        "--data",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run the new revisions over generated rows and fixtures (default on; docs/data.md)",
    )
    parser.add_argument(
        "--data-rows",
        metavar="N",
        help="generated rows per table (50); a table's own: data-rows in pyproject.toml",
    )
    parser.add_argument(
        "--table-stats",
        metavar="FILE",
        help="production table statistics (`stats`): a Rollout section and R601 (docs/rollout.md)",
    )


class _Reparse(Exception):
    """What the one-verb parser cannot answer: the whole parser parses again and says it."""


class _OneVerbParser(argparse.ArgumentParser):
    """The parser built for the one verb the words name: it never prints (an error is parsed
    again by the whole parser, whose message and usage are the ones a user must see) and it
    formats nothing, so it does not ask the terminal's width (argparse imports shutil for it)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["formatter_class"] = _FixedWidthFormatter
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        raise _Reparse(message)


class _FixedWidthFormatter(argparse.RawDescriptionHelpFormatter):
    """Used only to validate arguments as they are added, never to print."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=80)


class _UnusedParser:
    """What another verb's arguments are added to when one verb is parsed: nothing."""

    def add_argument(self, *args: object, **kwargs: object) -> _UnusedParser:
        return self

    add_mutually_exclusive_group = add_argument_group = add_argument


def build_parser(prog: str = PROG, only: str | None = None) -> argparse.ArgumentParser:
    return build_parsers(prog, only)[0]


def build_parsers(
    prog: str = PROG, only: str | None = None
) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each verb's, by name (for `help VERB`).

    With `only`, the parser knows that verb alone, and any error makes parse_arguments parse
    again with the whole one: a hook or a shell running `heads` does not pay for building (and
    importing what describes) every other verb.
    """
    # The settings options are accepted before and after the verb; on the verb's parser they
    # default to SUPPRESS so they never overwrite a value given before the verb. They are
    # described once (the top-level help and `help settings`), listed in one line elsewhere.
    parser_class = argparse.ArgumentParser if only is None else _OneVerbParser

    settings_parsers: dict[bool, argparse.ArgumentParser] = {}

    def settings_parser(shown: bool) -> argparse.ArgumentParser:
        """The settings options after the verb (a parent of every verb's parser), built once."""
        if shown in settings_parsers:
            return settings_parsers[shown]
        after_the_verb = settings_parsers[shown] = parser_class(add_help=False)
        add_settings_arguments(after_the_verb, argparse.SUPPRESS, shown=shown)
        # `alembic-sentinel check --debug` as well as `alembic-sentinel --debug check`
        after_the_verb.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        return after_the_verb

    parser = parser_class(
        prog=prog,
        description="Keep SQLAlchemy models, Alembic revisions and the revision graph honest.",
        epilog="`alembic-sentinel help VERB` (or `VERB --help`) describes a verb." + SETTINGS_LINE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_settings_arguments(parser, None, shown=False)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"show the traceback of an internal error (also {DEBUG_ENV}=1, for the hooks)",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    by_name: dict[str, argparse.ArgumentParser] = {}

    def verb(name: str) -> argparse.ArgumentParser:
        summary, example = VERBS[name]
        if only is not None and name != only:
            # not a choice of this parser: naming it is an error that makes the whole one parse
            return _UnusedParser()  # type: ignore[return-value]
        if name == "settings":
            description, parents, listed = SETTINGS_DESCRIPTION, [settings_parser(True)], ""
        else:
            description = summary[:1].upper() + summary[1:] + "."
            parents, listed = [settings_parser(False)], SETTINGS_LINE
        by_name[name] = verbs.add_parser(
            name,
            help=summary,
            description=description,
            epilog=f"example:\n  {example}{listed}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=parents,
        )
        return by_name[name]

    migrate = verb("migrate")
    migrate.add_argument("-m", "--message", help="revision message (also the file name's slug)")
    migrate.add_argument(
        "--head",
        metavar="LABEL@head",
        help="with independent labelled branches: the branch the revision goes on, as "
        "Alembic's `revision --head` (e.g. plugin@head)",
    )
    verb("upgrade").add_argument(
        "revision",
        nargs="?",
        default="head",
        help="where to go: head (default), heads, a revision id or prefix, +N, or LABEL@head",
    )
    verb("downgrade").add_argument(
        "revision", help="where to go: a revision id or prefix, -N, or base (undoes everything)"
    )
    merge = verb("merge")
    merge.add_argument(
        "revisions", nargs="+", metavar="REV", help="`heads`, or two or more revisions"
    )
    merge.add_argument("-m", "--message", help="revision message (default: merge heads)")
    heads = verb("heads")
    heads.add_argument(
        "--against",
        metavar="REF",
        help="also report the heads a merge with this git ref would leave",
    )
    graph = verb("graph")
    for parser_ in (heads, graph):
        parser_.add_argument("--format", choices=FORMATS, default="text", help="output format")
    if only in (None, "lint"):
        add_lint_arguments(verb("lint"))
    else:
        verb("lint")
    verb("rebase").add_argument("--onto", metavar="REF", required=True, help="git ref to build on")
    check = verb("check")
    check.add_argument(
        "--shadow-url",
        metavar="URL",
        help="server for the shadow database (default: the configured database's server; "
        "SQLite cache file when no database is configured)",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="use a fresh shadow database and drop it afterwards",
    )
    check.add_argument("--format", choices=FORMATS, default="text", help="output format")
    cache = verb("cache")
    cache.add_argument(
        "action", choices=["clear"], help="clear: drop the shadow database and the parse cache"
    )
    cache.add_argument("--shadow-url", metavar="URL", help="server of the shadow to drop")
    if only in (None, "ci"):
        add_ci_arguments(verb("ci"))
    else:
        verb("ci")
    verb("stats").add_argument(
        "-o", "--output", metavar="FILE", help="write the statistics here (default: stdout)"
    )
    if only in (None, "plan"):
        from alembic_sentinel.plan.commands import add_plan_arguments

        add_plan_arguments(verb("plan"))
    else:
        verb("plan")
    for name in ("current", "history", "create-database", "settings"):
        verb(name)
    verb("drop-database").add_argument(
        "-y", "--yes", action="store_true", help="do not ask (still refused when PROD_ENV)"
    )
    verb("help").add_argument(
        "topic",
        nargs="?",
        choices=list(VERBS),
        metavar="VERB",
        help="a verb, or `settings` for the settings options (default: this overview)",
    )
    return parser, by_name


def show_help(topic: str | None, out: TextIO, prog: str = PROG) -> int:
    parser, by_name = build_parsers(prog)
    out.write((by_name[topic] if topic else parser).format_help())
    return EXIT_OK


def run_verb(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if args.verb in STATIC_VERBS:
        # imported here: the static verbs should not pay for the database machinery
        from alembic_sentinel.graph import commands as graph_commands

        static: dict[str, Callable[[], int]] = {
            "merge": lambda: graph_commands.merge(settings, args.revisions, args.message, out),
            "heads": lambda: graph_commands.heads(settings, args.format, args.against, out),
            "graph": lambda: graph_commands.graph(settings, args.format, out),
            "rebase": lambda: graph_commands.rebase(settings, args.onto, out),
            "lint": lambda: run_lint(args, settings, out),
        }
        return static[args.verb]()

    from alembic_sentinel import commands

    database: dict[str, Callable[[], int]] = {
        "migrate": lambda: commands.migrate(settings, args.message, out, args.head),
        "upgrade": lambda: commands.upgrade(settings, args.revision, out),
        "downgrade": lambda: commands.downgrade(settings, args.revision, out),
        "current": lambda: commands.current(settings, out),
        "history": lambda: commands.history(settings, out),
        "check": lambda: commands.check(
            settings, args.format, args.shadow_url, not args.no_cache, out
        ),
        "cache": lambda: commands.clear_cache(settings, args.shadow_url, out),
        "create-database": lambda: commands.create_database(settings, out),
        "drop-database": lambda: commands.drop_database(settings, args.yes, out),
        "settings": lambda: commands.show_settings(settings, out),
        "stats": lambda: run_plan_verb(args, settings, out),
        "plan": lambda: run_plan_verb(args, settings, out),
    }
    return database[args.verb]()


def run_ci_verb(
    args: argparse.Namespace, overrides: Overrides, argv: Sequence[str], prog: str
) -> int:
    """`ci`: on a runner, the workflow-command guard goes up before any setting loads; the
    parent of a check reads static settings only and runs the project in a confined child."""
    from alembic_sentinel.ci.commands import ci, runner_guard, runs_project_code
    from alembic_sentinel.ci.github_actions import SECRET_DESCRIPTORS_ENV, secrets_from_descriptors

    names = ["mode", "database_url", "base_ref", "fail_on", "comment", "report", "push", "wait"]
    names += ["data", "data_rows", "table_stats", "output"]
    flags = {name: getattr(args, name) for name in names}
    flags["format"] = args.format
    # A run builds hundreds of thousands of objects (Alembic's scripts, reflected schemas) and
    # frees them all at exit: cyclic garbage collection only costs time here (about 0.4 s on a
    # 500-revision history), and the process ends right after.
    gc.disable()
    # the token and the server URL, when the Action hands them over out of the environment
    environ = secrets_from_descriptors(os.environ)
    os.environ.pop(SECRET_DESCRIPTORS_ENV, None)
    try:
        with hints_name(prog), runner_guard(flags, environ, sys.stdout) as guard:
            database = runs_project_code(flags, environ)
            return guarded(
                prog,
                lambda: resolve_settings(overrides, environ, database=database),
                lambda settings: ci(settings, flags, guard, argv, environ),
                debug=args.debug,
            )
    finally:
        gc.freeze()


def run_plan_verb(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from alembic_sentinel.plan import commands as plan_commands

    if args.verb == "stats":
        return plan_commands.stats(settings, args.output, out)
    request = plan_commands.PlanRequest(
        table_stats=args.table_stats,
        from_revision=args.from_revision,
        to_revision=args.to_revision,
        fmt=args.format,
        calibrate_url=args.calibrate_url,
        output=args.output,
        max_blocking_seconds=args.max_blocking_seconds,
    )
    return plan_commands.plan(settings, request, out)


def run_lint(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from alembic_sentinel.lint import commands as lint_commands

    if args.explain:
        return lint_commands.explain(args.explain, out)
    return lint_commands.lint(
        settings,
        args.files,
        all_files=args.all,
        base=args.base,
        fmt=args.format,
        show_ddl=args.show_ddl,
        out=out,
    )


def parse_arguments(words: list[str], prog: str = PROG) -> argparse.Namespace:
    """What the whole parser makes of `words`, built for the one verb they name when that is
    clear (the first word naming a verb; not for help); anything else the verb's parser cannot
    place (e.g. a verb's name given as an option's value) is parsed again by the whole one."""
    only = next((word for word in words if word in VERBS), None)
    if only is None or only == "help" or {"-h", "--help"} & set(words):
        return build_parser(prog).parse_args(words)
    try:
        args, unknown = build_parser(prog, only).parse_known_args(words)
    except _Reparse:
        unknown = ["?"]
    if unknown or args.verb != only:
        return build_parser(prog).parse_args(words)
    return args


def main(argv: Sequence[str] | None = None, *, flask_app: object = None, prog: str = PROG) -> int:
    """The CLI; `flask_app` is the app `flask sentinel` already loaded, and `prog` the name
    usage lines give it there (flask_command.py)."""
    args = parse_arguments(list(sys.argv[1:] if argv is None else argv), prog)
    if args.verb == "help":
        return show_help(args.topic, sys.stdout, prog)
    if argv is None:
        argv = sys.argv[1:]
    overrides = Overrides(
        url=args.url,
        config=args.config,
        migrations=args.migrations,
        metadata=args.metadata,
        run_env_py=args.run_env_py,
        target_server=getattr(args, "target_server", None),
        flask_app=args.flask_app,
        flask_instance=flask_app,
    )
    if args.verb == "ci":
        return run_ci_verb(args, overrides, argv, prog)
    # a machine-readable report owns stdout: what the project prints while it loads (an app, a
    # config file, the models) goes to stderr instead of corrupting the JSON
    machine = getattr(args, "format", None) in MACHINE_FORMATS
    with hints_name(prog), collection_paused() if args.verb in GRAPH_VERBS else nullcontext():
        out = sys.stdout  # the report's stream, whatever project code prints meanwhile
        with redirect_stdout(sys.stderr) if machine else nullcontext():
            return guarded(
                prog,
                lambda: resolve_settings(overrides, database=args.verb not in STATIC_VERBS),
                lambda settings: run_verb(args, settings, out),
                debug=args.debug,
            )


# verbs that read the revision files' declarations and nothing else (no AST of every file, no
# project code): their objects form no cycles worth collecting
GRAPH_VERBS = ("heads", "graph", "merge", "rebase")


class _NamingStream:
    """A text stream that writes `alembic-sentinel VERB` as `PROG VERB`: every fix and hint the
    verbs print names the command the user is running (`flask sentinel merge heads` under Flask),
    without each of them having to know it. Only the program name followed by one of our verbs is
    rewritten, never a path (`.cache/alembic-sentinel/`) or a package name."""

    def __init__(self, stream: TextIO, prog: str) -> None:
        self._stream = stream
        self._prog = prog
        self._pattern = re.compile(
            r"(?<![\w./-])"
            + re.escape(PROG)
            + r" (?=(?:"
            + "|".join(map(re.escape, VERBS))
            + r")\b)"
        )

    def write(self, text: str) -> int:
        self._stream.write(self._pattern.sub(f"{self._prog} ", text))
        return len(text)

    def __getattr__(self, name: str) -> object:  # flush, isatty, fileno, encoding, ...
        return getattr(self._stream, name)


@contextmanager
def hints_name(prog: str) -> Iterator[None]:
    """While a verb runs under another name than alembic-sentinel, its output names that one."""
    if prog == PROG:
        yield
        return
    saved = sys.stdout, sys.stderr
    sys.stdout = _NamingStream(sys.stdout, prog)
    sys.stderr = _NamingStream(sys.stderr, prog)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


if __name__ == "__main__":
    raise SystemExit(main())

"""The MySQL SQL of each new revision, as a reviewer would read it: Alembic's offline mode.

`alembic upgrade DOWN:REV --sql` renders a revision without a database. A revision that reads
the database (op.get_bind(), a Session) cannot be rendered that way; that is said, with the line
where it stopped, and never fails the run.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from alembic_sentinel.engine.database import scrub
from alembic_sentinel.engine.migration_env import migration_environment
from alembic_sentinel.engine.tracebacks import innermost_frame
from alembic_sentinel.graph.revision_file import RevisionFile
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from alembic_sentinel.engine.migration_steps import Migrations

_READS_DATABASE = re.compile(r"\bget_bind\s*\(|\bSession\s*\(")


class RenderedSql(NamedTuple):
    revision: str
    path: str
    sql: str | None
    error: str | None  # why it could not be rendered


def dialect_url(settings: Settings) -> str:
    """A URL naming only the dialect to render for: the lint target's server family."""
    family = "mariadb" if settings.target_server.startswith("mariadb") else "mysql"
    return f"{family}+pymysql://"


def render_revisions(
    settings: Settings, migrations: Migrations, revisions: Sequence[RevisionFile]
) -> list[RenderedSql]:
    offline = settings._replace(
        url=dialect_url(settings),
        sources={**settings.sources, "url": "offline SQL"},
        run_env_py=False,
    )
    rendered = []
    for revision in revisions:
        try:
            sql: str | None = render_revision(offline, migrations, revision.revision)
            error = None
        except Exception as exc:  # whatever the revision raises, the run goes on
            sql, error = None, reason(exc, settings, revision)
        rendered.append(RenderedSql(revision.revision, revision.path, sql, error))
    return rendered


def render_revision(settings: Settings, migrations: Migrations, revision: str) -> str:
    """The SQL `alembic upgrade DOWN:REVISION --sql` prints for one revision."""
    from alembic.runtime.environment import EnvironmentContext

    script = migrations.script.get_revision(revision)
    assert script is not None
    steps = [migrations.step(revision, True)]
    buffer = io.StringIO()
    migrations.config.output_buffer = buffer
    try:
        with migration_environment(settings):
            with EnvironmentContext(
                migrations.config,
                migrations.script,
                fn=lambda heads, context: steps,
                as_sql=True,
                starting_rev=script.down_revision,
                destination_rev=revision,
            ):
                migrations.script.run_env()
    finally:
        migrations.config.output_buffer = None
    return buffer.getvalue().strip() + "\n"


def reason(exc: BaseException, settings: Settings, revision: RevisionFile) -> str:
    """One line: where rendering stopped, what was raised, and why when it is the usual cause."""
    where = None
    for location in settings.version_locations:
        where = where or innermost_frame(exc, location, settings.root)
    if where is not None and where.rpartition(":")[0] == revision.path:
        where = f"line {where.rpartition(':')[2]}"  # the finding already names the file
    detail = str(exc).splitlines()[0] if str(exc) else ""
    text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    if "MockConnection" in detail:
        # offline, op.get_bind() is a stand-in that can only print DDL: said in words
        text = (
            "its data fill reads or writes rows through the connection, which offline SQL "
            "cannot do (there is no database to run it on)"
        )
        text = f"{where}: {text}" if where else text
        return scrub(text, settings)
    text = f"{where}: {text}" if where else text
    try:
        source = (settings.root / revision.path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        source = ""
    if _READS_DATABASE.search(source):
        text += " (the revision reads the database through op.get_bind() or a Session, "
        text += "which offline SQL cannot do)"
    return scrub(text, settings)

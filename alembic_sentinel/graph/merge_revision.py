"""Write a merge revision the way `alembic merge` does, without importing any revision file.

Alembic's `ScriptDirectory.generate_revision` loads every revision module first, which fails in
pre-commit's isolated virtualenv. The graph comes from the static reader instead; the file is
rendered from the project's own script.py.mako with Mako and the arguments Alembic passes, and
named by alembic.ini's `file_template`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

from alembic_sentinel.errors import ConfigError, Refused
from alembic_sentinel.graph.revision_check import (
    BROKEN_HISTORY_CODES,
    Revisions,
    unplaced_findings,
)
from alembic_sentinel.graph.revision_graph import analyze
from alembic_sentinel.settings import Settings

DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s"
DEFAULT_TRUNCATE_SLUG_LENGTH = 40
# errors that make a merge revision meaningless until they are fixed (revision_check.py)
BLOCKING_CODES = BROKEN_HISTORY_CODES


def new_revision_id() -> str:
    """Alembic's own scheme (alembic.util.rev_id)."""
    return uuid.uuid4().hex[-12:]


def format_as_comma(value: str | Iterable[str] | None) -> str:
    """The `comma` filter Alembic hands to script.py.mako (alembic.util.format_as_comma)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(value)


def slug(message: str, limit: int) -> str:
    """The file-name slug, truncated as Alembic's ScriptDirectory._rev_path does."""
    text = "_".join(re.findall(r"\w+", message or "")).lower()
    if len(text) > limit:
        text = text[:limit].rsplit("_", 1)[0] + "_"
    return text


def create_date(settings: Settings) -> datetime.datetime:
    zone = settings.alembic_options.get("timezone")
    if not zone:
        return datetime.datetime.now()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    for candidate in (zone, zone.upper()):
        try:
            tzinfo = ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return datetime.datetime.now(tz=datetime.timezone.utc).astimezone(tzinfo)
    raise ConfigError(f"alembic.ini: [alembic] timezone {zone!r} is not a known time zone")


def docstring_text(message: str) -> str:
    """`message` written so that, between the template's triple quotes, it reads back as itself.

    `alembic merge` pastes the message into script.py.mako's docstring as it is, so a message
    with a triple quote, a trailing quote or a backslash writes a file that does not compile (or
    whose docstring says something else). Backslashes are doubled; a quote is escaped when it
    could join the template's quotes (next to the same quote, or last); characters Python source
    cannot hold as they are (NUL, carriage returns, lone surrogates, other control characters)
    become escapes. Everything else, ordinary quotes included, is left as the user wrote it.
    """
    written = []
    for index, char in enumerate(message):
        before = message[index - 1] if index else ""
        after = message[index + 1 : index + 2]
        if char == "\\":
            written.append("\\\\")
        elif char in "\"'" and (after in ("", char) or before == char):
            written.append("\\" + char)
        elif char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs"):
            written.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            written.append(char)
    return "".join(written)


def merge_parents(revisions: Revisions, requested: Sequence[str]) -> list[str]:
    """The heads to merge: all of them for `heads`, else the named ones (each must be a head)."""
    graph = revisions.graph
    found = [*unplaced_findings(revisions.read), *analyze(graph)]
    blocking = [f for f in found if f.code in BLOCKING_CODES]
    if blocking:
        first = blocking[0]
        raise Refused(f"{first.location()}: {first.message}: fix the graph before merging")
    heads = graph.heads()
    if list(requested) == ["heads"]:
        return sorted(heads)
    if len(requested) < 2:
        raise ConfigError("merge needs `heads` or at least two revisions")
    for revision in requested:
        if revision not in graph.revisions:
            raise ConfigError(f"Can't locate revision identified by {revision!r}")
        if revision not in heads:
            raise ConfigError(f"revision {revision} is not a head: only heads can be merged")
    return list(dict.fromkeys(requested))


def write_merge_revision(
    settings: Settings, revisions: Revisions, parents: Sequence[str], message: str
) -> Path:
    """Render and write the merge revision; never overwrites a file. Returns its path."""
    from mako.exceptions import MakoException
    from mako.template import Template

    template_path = settings.migrations / "script.py.mako"
    if not template_path.is_file():
        raise ConfigError(f"{settings.show(template_path)}: the revision template is missing")
    options = settings.alembic_options
    revision_id = new_revision_id()
    created = create_date(settings)
    first_parent = revisions.graph.revisions[parents[0]]
    directory = (settings.root / first_parent.path).parent
    try:
        limit = int(options.get("truncate_slug_length", DEFAULT_TRUNCATE_SLUG_LENGTH))
        name = options.get("file_template", DEFAULT_FILE_TEMPLATE) % {
            "rev": revision_id,
            "slug": slug(message, limit),
            "epoch": int(created.timestamp()),
            "year": created.year,
            "month": created.month,
            "day": created.day,
            "hour": created.hour,
            "minute": created.minute,
            "second": created.second,
        }
    except (KeyError, ValueError, TypeError) as exc:
        shown = settings.show(settings.alembic_ini) if settings.alembic_ini else "alembic.ini"
        raise ConfigError(f"{shown}: invalid file_template/truncate_slug_length: {exc}") from None
    try:
        text = Template(filename=str(template_path)).render_unicode(
            up_revision=revision_id,
            down_revision=tuple(parents) if len(parents) > 1 else parents[0],
            branch_labels=None,
            depends_on=None,
            create_date=created,
            comma=format_as_comma,
            message=docstring_text(message),
        )
    except (MakoException, NameError, AttributeError, TypeError) as exc:
        raise ConfigError(f"{settings.show(template_path)}: cannot render: {exc}") from None
    path = directory / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        raise Refused(f"{settings.show(path)}: already exists; not overwritten") from None
    return path

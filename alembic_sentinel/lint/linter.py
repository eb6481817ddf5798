"""The static revision linter: revision files in, findings and online-DDL classes out.

Pure: `lint_source` reads one file's text (one parse, one walk, see revision_reader), runs
the rules of catalogue.RULES for the target server (data_rules, type_rules, structure_rules,
and ddl's online-DDL classes and L314), honours
`# sentinel: ignore[CODE] -- reason` suppressions (suppressions.py) and the configured
severities. Nothing here imports SQLAlchemy or Alembic: the `alembic-lint` hook runs in
pre-commit's isolated virtualenv and lints a thousand files in well under a second.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from alembic_sentinel.graph.collector import collection_paused
from alembic_sentinel.graph.version_locations import UnreadableFile, read_source
from alembic_sentinel.lint import (
    column_lengths,
    data_rules,
    downgrade_key_drops,
    downgrade_rules,
    dropped_again,
    foreign_key_types,
    ignored_arguments,
    key_column_drops,
    key_rules,
    keyless_auto_increment,
    kind_rules,
    mysql_refusals,
    name_clashes,
    not_null_rule,
    portability_rules,
    structure_rules,
    type_rules,
)
from alembic_sentinel.lint.catalogue import RULES, applies
from alembic_sentinel.lint.ddl import DdlStatement, ddl_changes, online_ddl
from alembic_sentinel.lint.dialect_tests import target_capabilities
from alembic_sentinel.lint.facts import BYTES_PER_CHAR, UNPLACED, Check, Facts, Hit, LintOptions
from alembic_sentinel.lint.grouping import grouped_per_revision
from alembic_sentinel.lint.history import HeaderOnly, RevisionHistory, graph_depths
from alembic_sentinel.lint.history_assembly import HistoryPart, history_part, revision_history
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.returned_rests import answered_returns
from alembic_sentinel.lint.revision_model import RevisionModule
from alembic_sentinel.lint.revision_reader import read_revision_module
from alembic_sentinel.lint.shared_work import processes_for, shared_between_two
from alembic_sentinel.lint.suppressions import read_suppressions, suppression_for, suppression_hits
from alembic_sentinel.lint.type_rules import KEY_LIMIT_BYTES, narrowing
from alembic_sentinel.report.model import ERROR, Finding, Report, Suppressed

__all__ = [
    "BYTES_PER_CHAR",
    "DEFAULT_OPTIONS",
    "KEY_LIMIT_BYTES",
    "OFF",
    "DdlStatement",
    "LintOptions",
    "LintResult",
    "ddl_changes",
    "lint_files",
    "lint_source",
    "narrowing",
    "unparseable",
]

OFF = "off"

# a constraint name autogenerate wrote as op.f("fk_...") / batch_op.f("uq_..."): only a
# MetaData naming_convention makes it do that for anything but an index (SQLAlchemy's default
# has "ix"); one such name may be written by hand, autogenerate under a convention writes them
# for every constraint, so it takes CONVENTION_EVIDENCE of them
_CONVENTION_NAME = LazyPattern(rb"\b(?:op|batch_op)\.f\(\s*[\x27\"](?:fk|uq|ck|pk)_")
CONVENTION_EVIDENCE = 2

DEFAULT_OPTIONS = LintOptions()


class LintResult(NamedTuple):
    findings: list[Finding]
    statements: list[DdlStatement]
    suppressed: list[Suppressed] = []  # noqa: RUF012 - a NamedTuple default, never mutated


# every rule but L314 (ddl) and L320/L321 (suppressions), in code order, with the codes it
# reports: a check none of whose codes applies to the target is not run
CHECKS: tuple[tuple[frozenset[str], Check], ...] = (
    (frozenset({"L301"}), not_null_rule.not_null_without_default),
    (frozenset({"L302"}), data_rules.not_null_without_fill),
    (frozenset({"L303"}), kind_rules.fill_wrong_kind),
    (frozenset({"L304"}), data_rules.drop_table),
    (frozenset({"L305"}), data_rules.drop_column),
    (frozenset({"L306"}), data_rules.possible_rename),
    (frozenset({"L307", "L308"}), type_rules.type_changes),
    (frozenset({"L309"}), key_rules.unique_on_existing_table),
    (frozenset({"L310"}), structure_rules.drop_unnamed_constraint),
    (frozenset({"L311"}), structure_rules.unnamed_constraint),
    (frozenset({"L312"}), type_rules.key_too_long),
    (frozenset({"L313"}), type_rules.text_default),
    (frozenset({"L315"}), structure_rules.module_level_op),
    (frozenset({"L316"}), structure_rules.imports_app_models),
    (frozenset({"L317"}), downgrade_rules.empty_upgrade),
    (frozenset({"L318"}), downgrade_rules.missing_downgrade),
    (frozenset({"L319"}), downgrade_rules.downgrade_incomplete),
    (frozenset({"L322"}), type_rules.alter_without_type),
    (frozenset({"L323"}), type_rules.lob_key_without_length),
    (frozenset({"L324"}), type_rules.varchar_without_length),
    (frozenset({"L325"}), key_rules.primary_key_on_existing_table),
    (frozenset({"L326"}), structure_rules.inline_references),
    (frozenset({"L327"}), structure_rules.drop_foreign_key),
    (frozenset({"L328"}), structure_rules.rename_breaks_running_code),
    (frozenset({"L329"}), portability_rules.boolean_text_default),
    (frozenset({"L330"}), portability_rules.modify_restates_column),
    (frozenset({"L331"}), portability_rules.postgresql_only),
    (frozenset({"L332"}), keyless_auto_increment.keyless_auto_increment),
    (frozenset({"L333"}), mysql_refusals.if_exists_clause),
    (frozenset({"L334"}), mysql_refusals.drop_without_kind_or_table),
    (frozenset({"L335"}), foreign_key_types.foreign_key_types),
    (frozenset({"L336"}), name_clashes.duplicate_index_name),
    (frozenset({"L337"}), name_clashes.check_name_reused),
    (frozenset({"L338"}), name_clashes.foreign_key_by_postgresql_name),
    (frozenset({"L339"}), name_clashes.foreign_key_name_reused),
    (frozenset({"L340"}), column_lengths.varchar_too_long),
    (frozenset({"L341"}), downgrade_key_drops.column_dropped_under_foreign_key),
    (frozenset({"L342"}), dropped_again.dropped_again),
    (frozenset({"L343"}), key_column_drops.column_dropped_from_key),
    (frozenset({"L344"}), ignored_arguments.ignored_alter_arguments),
)


@functools.cache
def checks_for(flavor: str) -> tuple[Check, ...]:
    """The checks with a code that applies to the target flavor."""
    return tuple(check for codes, check in CHECKS if any(applies(code, flavor) for code in codes))


def unparseable(path: str, message: str, line: int | None = None) -> Finding:
    """F201, the code the revision reader uses for a file that cannot be read as Python."""
    return Finding("F201", "unparseable-file", ERROR, message, path, line)


def dialect_names(flavor: str) -> frozenset[str]:
    """The `engine.dialect.name` values a revision's dialect tests see on the target; MariaDB
    answers "mariadb" on SQLAlchemy 2 and "mysql" before, and projects test for "mysql"."""
    if flavor in ("mysql", "mariadb"):
        return frozenset({"mysql", "mariadb"})
    return frozenset({flavor})


def convention_names(source: str | bytes) -> int:
    """How many constraints a revision names the way a MetaData naming_convention does."""
    data = source.encode("utf-8", "replace") if isinstance(source, str) else source
    if b".f(" not in data:  # most files: a substring search, not the pattern's scan
        return 0
    return len(_CONVENTION_NAME.findall(data))


def read_module(
    source: str | bytes, path: str, options: LintOptions, location: Path | None = None
) -> RevisionModule | LintResult:
    """The revision's model, or the F201 result of a file that cannot be read as Python;
    `location` is the file on disk (the project's modules are found from it)."""
    try:
        target = options.target
        capabilities = target_capabilities(target.flavor, target.version)
        return read_revision_module(
            source, path, dialect_names(target.flavor), capabilities, location
        )
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "msg", None) or str(exc)
        return LintResult([unparseable(path, f"not valid Python: {message}", line)], [])
    except RecursionError:
        return LintResult([unparseable(path, "nested too deeply to be read")], [])


def placed_before_error(
    source: str | bytes, path: str, result: LintResult
) -> tuple[LintResult, HeaderOnly | None]:
    """The F201 `result` of a file that cannot be parsed, and its place in the graph when the
    complete top-level statements before its syntax error declare it (bounded_header's rules):
    the F201 stays an error (Alembic cannot import the file either), its message says lint
    placed it. Heads are not asked: Alembic's answer there is that it cannot load the history."""
    first = result.findings[0] if len(result.findings) == 1 else None
    if first is None or first.code != "F201" or not first.line:
        return result, None
    from alembic_sentinel.graph.bounded_header import header_before_error
    from alembic_sentinel.graph.revision_files import read_revision_source

    data = source.encode("utf-8", "surrogateescape") if isinstance(source, str) else source
    header = header_before_error(data, first.line)
    if header.text is None:
        return result, None
    revision, problems = read_revision_source(header.text, path)
    if revision is None or any(problem.severity == ERROR for problem in problems):
        return result, None
    lines = header.text.count(b"\n")
    said = first._replace(
        message=f"{first.message}; its operations were not reviewed, but its header (lines "
        f"1-{lines}, before the error) places it in the history lint follows"
    )
    return LintResult([said], []), HeaderOnly(revision.revision, revision.down_revisions)


def _read_rewritten(result: LintResult) -> LintResult:
    """The F201 of a Python 2 revision the history reads once rewritten, saying so."""
    first = result.findings[0]
    said = first._replace(
        message=f"{first.message}; its operations were not reviewed, but read with its print "
        "statements rewritten it is placed in the history lint follows"
    )
    return LintResult([said, *result.findings[1:]], [])


def python2_history(
    source: str | bytes, path: str, options: LintOptions, location: Path
) -> RevisionModule | None:
    """The revision's model for the history only, read once Python 2's print statements and
    `except E, e:` are rewritten; None when that does not make it Python 3."""
    from alembic_sentinel.lint.python2_repair import repaired_python2

    repaired = repaired_python2(source)
    if repaired is None:
        return None
    module = read_module(repaired, path, options, location)
    return None if isinstance(module, LintResult) else module


_SEPARATE_PER_LINE = 3


def _first_of_each_message(hits: list[Hit]) -> list[Hit]:
    seen: set[str] = set()
    unique = []
    for hit in hits:
        if hit.message not in seen:
            seen.add(hit.message)
            unique.append(hit)
    return unique


def merged_by_line(hits: list[Hit]) -> list[Hit]:
    """At most one hit per rule and source line past a few: a loop or a helper that runs an
    operation for each of many tables is one place to fix, said once with how many more it
    covers (up to _SEPARATE_PER_LINE stay separate, each naming its table)."""
    groups: dict[tuple[str, int, int], list[Hit]] = {}
    for hit in hits:
        groups.setdefault((hit.code, hit.line, hit.end_line), []).append(hit)
    merged = []
    for group in groups.values():
        passes = len(group)
        # the same words again at the line (a loop over tables lint cannot name, read once per
        # pass) tell the reader nothing new: said once, with how often it runs
        group = _first_of_each_message(group)
        if len(group) == 1 and passes > 1:
            only = group[0]
            merged.append(only._replace(message=f"{only.message} (once per pass: {passes} times)"))
            continue
        if len(group) <= _SEPARATE_PER_LINE:
            merged.extend(group)
            continue
        first = group[0]
        if len(group) > 1:
            more = len(group) - 1
            first = first._replace(
                message=f"{first.message} (+{more} more {first.code} at this line)",
                merged_subjects=tuple(hit.subject for hit in group[1:]),
            )
        merged.append(first)
    return merged


def lint_source(
    source: str | bytes,
    path: str,
    options: LintOptions = DEFAULT_OPTIONS,
    module: RevisionModule | LintResult | None = None,
) -> LintResult:
    """Lint one revision file's text; `path` is how findings name it (`module`: its model,
    when the caller read it already)."""
    if module is None:
        module = read_module(source, path, options)
    if isinstance(module, LintResult):
        return module
    if (
        options.naming_convention is None
        and options.position == UNPLACED  # lint_files looked at every source already
        and convention_names(source) >= CONVENTION_EVIDENCE
    ):
        options = options._replace(naming_convention=True)
    if options.position == UNPLACED:
        # linted alone: the revision's own facts (a table's character set, a column's NOT
        # NULL) count for its own operations, as lint_files' history gives them
        options = options._replace(
            history=revision_history([history_part(module)], [0]), position=0
        )
    # the code after an early return the history answers: a guarded block (round r40)
    module = answered_returns(module, options)
    facts = Facts(module, source)
    flavor = options.target.flavor
    hits = [hit for check in checks_for(flavor) for hit in check(facts, options)]
    if not options.target.is_mysql:
        hits = [hit for hit in hits if applies(hit.code, flavor)]
    statements: list[DdlStatement] = []
    if options.target.is_mysql:
        statements, copies = online_ddl(facts, options, path)
        hits.extend(copies)
    hits = merged_by_line(hits)
    suppressions = read_suppressions(source, module)
    reasons: dict[int, str] = {}  # id(hit) -> the reason it is suppressed
    if suppressions:
        for hit in hits:
            suppression = suppression_for(hit, suppressions)
            if suppression is not None:
                reasons[id(hit)] = suppression.reason
        hits.extend(suppression_hits(suppressions))

    def severity_of(hit: Hit) -> str:
        return options.severities.get(hit.code) or hit.severity or RULES[hit.code].severity

    # a rule's run in one revision is read once (grouping.py); suppressed hits stay one each
    hits = grouped_per_revision([hit for hit in hits if id(hit) not in reasons], severity_of) + [
        hit for hit in hits if id(hit) in reasons
    ]
    findings = []
    suppressed = []
    for hit in hits:
        rule = RULES[hit.code]
        severity = severity_of(hit)
        if severity == OFF:
            continue
        message = hit.message
        engine = _engine_at(module, hit.line)
        if engine is not None:
            message = f"{message} (engine {engine})"
        finding = Finding(
            hit.code, rule.name, severity, message, path, hit.line, hit.fix or rule.fix
        )
        if id(hit) in reasons:
            suppressed.append(Suppressed(finding, reasons[id(hit)]))
        else:
            findings.append(finding)
    findings.sort(key=lambda f: (f.line or 0, f.code))
    return LintResult(findings, statements, suppressed)


def _engine_at(module: RevisionModule, line: int | None) -> str | None:
    """The engine whose `upgrade_<engine>()`/`downgrade_<engine>()` holds the line, in a
    revision of Alembic's multi-database template; None elsewhere."""
    if line is None:
        return None
    for engine, first, last in module.engines:
        if first <= line <= last:
            return engine
    return None


def lint_files(
    files: Sequence[tuple[str, Path]],
    options: LintOptions,
    processes: int | None = None,
    context: Sequence[tuple[str, Path]] = (),
) -> Report:
    """Lint each (display path, real path); one report, findings in path and line order.
    `context`: the other revisions of the history, read for what they state (a column's NOT
    NULL, a table's character set, a key's name) but not reviewed: a few files linted alone
    are judged against the history they join, as with `--all`.
    `processes`: 1 or 2 (shared_work.py); None chooses by the machine and the file count."""
    with collection_paused():
        report = _lint_files(files, options, processes, context)
        if not (options.target_guessed and options.target.flavor == "mysql"):
            return report
        # no setting named the server: revisions written in MariaDB's own syntax show it
        from alembic_sentinel.lint.online_ddl import parse_server_version
        from alembic_sentinel.lint.server_evidence import MARIADB_TARGET, mariadb_evidence

        suppressed = [s.finding for s in report.suppressed or ()]
        shown = mariadb_evidence([*report.findings, *suppressed])
        if shown is None:
            return report
        mariadb = options._replace(target=parse_server_version(MARIADB_TARGET))
        report = _lint_files(files, mariadb._replace(target_guessed=False), processes, context)
        report.facts["target_evidence"] = shown
        return report


class _SharedRead(NamedTuple):
    """What the history needs of one file read: its facts, or its place from its header; how
    many constraints it names as a naming convention does; whether it could be read at all."""

    part: HistoryPart | None
    node: HeaderOnly | None
    convention_names: int = 0
    readable: bool = True


class _Unread(NamedTuple):
    """A file that could not be read: its F201 / F208 (None when it has none to report)."""

    finding: Finding | None


def _lint_files(
    files: Sequence[tuple[str, Path]],
    options: LintOptions,
    processes: int | None,
    context: Sequence[tuple[str, Path]],
) -> Report:
    every = [*files, *context]  # files[i] is linted; the context's files are read, not reviewed
    reviewed = len(files)

    def read_at(index: int) -> tuple[RevisionModule | LintResult | _Unread, _SharedRead]:
        # each process reads the files it lints (shared_work.py): the parent does not read
        # them all before the fork
        shown, real = every[index]
        try:
            # regular files of at most 2 MiB only: a FIFO would block, a huge file exhaust memory
            source = read_source(real)
        except UnreadableFile as problem:
            # a larger one is not linted, but placed in the graph from its header (streamed) if
            # it can be, so the revisions after it follow what came before it
            from alembic_sentinel.graph.revision_files import read_oversized_file

            revision, problems = read_oversized_file(real, shown, None, problem, [])
            # the F208 (its header's own problems are heads')
            unread = _Unread(problems[0] if problems else None)
            if revision is None:
                return unread, _SharedRead(None, None, readable=False)
            header = HeaderOnly(revision.revision, revision.down_revisions)
            return unread, _SharedRead(None, header, readable=False)
        except OSError as exc:
            unread = _Unread(unparseable(shown, f"cannot read: {exc.strerror or exc}"))
            return unread, _SharedRead(None, None, readable=False)
        sources[index] = source
        conventions = convention_names(source)
        module = read_module(source, shown, options, real)
        if not isinstance(module, LintResult):
            return module, _SharedRead(history_part(module), None, conventions)
        # a Python 2 revision (`print x`) placed in the graph is read for the history as
        # Python 3 once its print statements are rewritten: it stays F201 and unreviewed, but
        # the copies its upgrade makes count for the revisions after it (python2_repair.py)
        # read whole once rewritten, it is placed as any revision lint reads; else from the
        # header before its syntax error: the revisions after it follow it, not a segment of
        # their own
        repaired = python2_history(source, shown, options, real)
        if repaired is not None and repaired.revision_id is not None:
            rewritten = _read_rewritten(module)
            return rewritten, _SharedRead(history_part(repaired), None, conventions)
        result, node = placed_before_error(source, shown, module)
        return result, _SharedRead(None, node, conventions)

    def assemble(shared: Sequence[_SharedRead]) -> tuple[list[int], RevisionHistory, LintOptions]:
        # what the other revisions show of a column (NOT NULL, a default), a table (its
        # character set, its unique keys) counts for the revisions after them in the graph;
        # the files that could not be read take no place among the parts (nor their numbers)
        readable = [read for read in shared if read.readable]
        parts = [read.part for read in readable]
        oversized = [read.node for read in shared if not read.readable]
        errors = [read.node for read in readable]
        placed = [node for node in (*oversized, *errors) if node is not None]
        depths = graph_depths([*parts, *placed])[: len(parts)]
        at = iter(depths)
        # each file's depth by its index (an unreadable one's is never asked)
        by_index = [next(at) if read.readable else 0 for read in shared]
        judged = options
        if options.naming_convention is None and (
            sum(read.convention_names for read in shared) >= CONVENTION_EVIDENCE
        ):
            # one revision written under the convention shows the MetaData has one
            judged = options._replace(naming_convention=True)
        return by_index, revision_history(parts, depths, placed), judged

    def judge(
        index: int,
        module: RevisionModule | LintResult | _Unread,
        against: tuple[list[int], RevisionHistory, LintOptions],
    ) -> LintResult:
        if index >= reviewed:  # the history's other revisions are read, not reviewed
            return LintResult([], [])
        if isinstance(module, _Unread):
            return LintResult([module.finding] if module.finding is not None else [], [])
        depths, history, judged = against
        shown = every[index][0]
        placed = judged._replace(history=history, position=depths[index])
        return lint_source(sources[index], shown, placed, module)

    # index -> the file's text, in the process that read it
    sources: dict[int, bytes] = {}
    count = len(every)
    if processes is None:
        processes = processes_for(count)
    findings: list[Finding] = []
    statements: list[DdlStatement] = []
    suppressed: list[Suppressed] = []
    for result in shared_between_two(count, read_at, assemble, judge, processes):
        findings.extend(result.findings)
        statements.extend(result.statements)
        suppressed.extend(result.suppressed)
    findings.sort(key=lambda f: (f.path or "", f.line or 0, f.code))
    return Report(
        command="lint",
        findings=findings,
        facts={"files": len(files), "statements": [s._asdict() for s in statements]},
        summary=[],
        suppressed=suppressed,
    )

"""L305 and a dropped column whose values are derived from other data (issue 20, round 32): a
trigger fills it from the row's other columns, the server generates it, or the downgrade
computes it again from data the upgrade leaves. Nothing of its own is lost. A trigger writing
the clock or the column's own old value, one dropped by an earlier revision, a downgrade
writing a constant, or one reading what the upgrade itself made are values of their own:
still reported. Our own revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import codes, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.sql_reader import UPDATE, read_sql
from alembic_sentinel.lint.trigger_columns import derived_columns, read_triggers


def _l305(tmp_path: Path, *sources: str) -> list[str]:
    """The files of a history of `sources` (upgrade bodies, or (upgrade, downgrade) pairs)
    that L305 reports."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    ids = [f"c0ffee{n:06d}" for n in range(1, len(sources) + 1)]
    for number, source in enumerate(sources):
        upgrade, downgrade = source if isinstance(source, tuple) else (source, "pass")
        down = ids[number - 1] if number else "a8a2fc4e4c77"
        text = chained(revision(upgrade, downgrade), ids[number], down)
        (tmp_path / f"r{number}.py").write_text(text)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    return [f.path for f in result.findings if f.code == "L305"]


# --- a trigger derives the column ----------------------------------------------------------

MYSQL_TRIGGER = """
op.execute(
    "CREATE TRIGGER person_name BEFORE INSERT ON person FOR EACH ROW "
    "SET NEW.full_name = CONCAT(NEW.first_name, ' ', NEW.last_name)"
)
"""
MYSQL_BLOCK = '''
op.execute("""
    CREATE DEFINER=CURRENT_USER TRIGGER person_total BEFORE UPDATE ON person
    FOR EACH ROW BEGIN
        IF NEW.first_name IS NULL THEN SET NEW.first_name = ''; END IF;
        SET NEW.full_name = CONCAT(NEW.first_name, ' ', NEW.last_name);
    END
""")
'''
SQLITE_TRIGGER = '''
op.execute("""
    CREATE TRIGGER person_words AFTER INSERT ON person
    BEGIN
        UPDATE person SET full_name = first_name || ' ' || last_name WHERE id = NEW.id;
    END
""")
'''
POSTGRESQL_FUNCTION = '''
op.execute("""
    CREATE OR REPLACE FUNCTION person_name_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.full_name := NEW.first_name || ' ' || NEW.last_name;
        RETURN NEW;
    END $$;
""")
op.execute(
    "CREATE TRIGGER person_name_trg BEFORE INSERT OR UPDATE ON public.person "
    "FOR EACH ROW EXECUTE FUNCTION person_name_fill()"
)
'''
POSTGRESQL_SELECT_INTO = '''
op.execute("""
    CREATE FUNCTION person_doc() RETURNS trigger AS $body$
    BEGIN
        SELECT concat_ws(' ', NEW.first_name, g.title) INTO STRICT NEW.full_name
        FROM grade g WHERE g.id = NEW.grade_id;
        RETURN NEW;
    END $body$ LANGUAGE plpgsql;
    CREATE TRIGGER person_doc_trg BEFORE INSERT ON person
    FOR EACH ROW WHEN (NEW.grade_id IS NOT NULL) EXECUTE PROCEDURE person_doc();
""")
'''
POSTGRESQL_VARIABLE = '''
op.execute("""
    CREATE FUNCTION person_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        computed TEXT := NULL;
    BEGIN
        computed := person_label(NEW.id);
        UPDATE person SET full_name = computed WHERE id = NEW.id;
        RETURN NULL;
    END $$;
    CREATE TRIGGER person_refresh_trg AFTER UPDATE ON person
    FOR EACH ROW EXECUTE FUNCTION person_refresh();
""")
'''
DROP = 'op.drop_column("person", "full_name")'
RAW_DROP = 'op.execute("ALTER TABLE person DROP COLUMN IF EXISTS full_name")'


@pytest.mark.parametrize(
    "trigger",
    [
        MYSQL_TRIGGER,
        MYSQL_BLOCK,
        SQLITE_TRIGGER,
        POSTGRESQL_FUNCTION,
        POSTGRESQL_SELECT_INTO,
        POSTGRESQL_VARIABLE,
    ],
)
@pytest.mark.parametrize("drop", [DROP, RAW_DROP])
def test_a_column_an_earlier_trigger_derives_is_no_loss(
    tmp_path: Path, trigger: str, drop: str
) -> None:
    assert _l305(tmp_path, trigger, drop) == []


def test_the_trigger_dropped_first_in_the_same_upgrade_still_derived_the_values(
    tmp_path: Path,
) -> None:
    contract = f"""
    op.execute("DROP TRIGGER IF EXISTS person_name_trg ON person")
    op.execute("DROP FUNCTION IF EXISTS person_name_fill()")
    {RAW_DROP}
    """
    assert _l305(tmp_path, POSTGRESQL_FUNCTION, contract) == []


def test_a_trigger_this_downgrade_puts_back_marks_the_column_derived(tmp_path: Path) -> None:
    downgrade = f"""
    op.add_column("person", sa.Column("full_name", sa.String(200)))
    {MYSQL_TRIGGER.strip()}
    """
    assert _l305(tmp_path, (DROP, downgrade)) == []


@pytest.mark.parametrize(
    "trigger",
    [
        # the clock, a constant, the column's own old value: values of its own
        'op.execute("CREATE TRIGGER t1 BEFORE UPDATE ON person FOR EACH ROW '
        'SET NEW.full_name = NOW()")',
        'op.execute("CREATE TRIGGER t1 BEFORE INSERT ON person FOR EACH ROW '
        "SET NEW.full_name = 'anonymous'\")",
        'op.execute("CREATE TRIGGER t1 BEFORE UPDATE ON person FOR EACH ROW '
        "SET NEW.full_name = CONCAT(OLD.full_name, '!')\")",
        # a trigger of another table, or deriving another column
        'op.execute("CREATE TRIGGER t1 BEFORE INSERT ON pet FOR EACH ROW '
        'SET NEW.full_name = CONCAT(NEW.first_name, NEW.last_name)")',
        'op.execute("CREATE TRIGGER t1 BEFORE INSERT ON person FOR EACH ROW '
        'SET NEW.initials = LEFT(NEW.first_name, 1)")',
        # an UPDATE in the trigger that clears the column: a NULL computes nothing
        'op.execute("CREATE TRIGGER t1 AFTER UPDATE ON grade BEGIN '
        'UPDATE person SET full_name = NULL WHERE grade_id = NEW.id; END")',
        # a function that derives it, executed by no trigger
        """
        op.execute(
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN "
            "NEW.full_name := NEW.first_name; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        """,
        # a trigger executing another function than the one deriving it
        """
        op.execute(
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN "
            "NEW.full_name := NEW.first_name; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        op.execute("CREATE TRIGGER t1 BEFORE INSERT ON person FOR EACH ROW EXECUTE FUNCTION g()")
        """,
    ],
)
def test_a_trigger_writing_values_of_its_own_or_another_column_leaves_it_reported(
    tmp_path: Path, trigger: str
) -> None:
    assert _l305(tmp_path, trigger, DROP) == ["r1.py"]


def test_a_trigger_an_earlier_revision_dropped_derives_nothing_any_more(tmp_path: Path) -> None:
    dropped = 'op.execute("DROP TRIGGER person_name")'
    assert _l305(tmp_path / "dropped", MYSQL_TRIGGER, dropped, DROP) == ["r2.py"]
    # and one that a later revision creates again derives again
    assert _l305(tmp_path / "again", MYSQL_TRIGGER, dropped, MYSQL_TRIGGER, DROP) == []


def test_a_trigger_made_after_the_drop_derives_nothing_before_it() -> None:
    after = f"{DROP}\n{MYSQL_TRIGGER.strip()}"
    assert "L305" in codes(revision(after))
    assert "L305" not in codes(revision(f"{MYSQL_TRIGGER.strip()}\n{DROP}"))


def test_the_trigger_reader_keeps_the_order_of_drops_and_creates() -> None:
    made = read_triggers(
        "DROP TRIGGER IF EXISTS tr ON person; CREATE TRIGGER tr BEFORE INSERT ON person "
        "FOR EACH ROW SET NEW.full_name = NEW.first_name"
    )
    assert made.dropped_triggers == ("tr",)
    assert derived_columns([made]) == {("person", "full_name")}
    assert derived_columns([made, read_triggers("DROP TRIGGER tr")]) == frozenset()


# --- generated columns ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "generated",
    [
        'op.execute("CREATE TABLE box (id INT PRIMARY KEY, w INT, '
        'area INT GENERATED ALWAYS AS (w * w) STORED)")',
        'op.execute("CREATE TABLE box (id INT PRIMARY KEY, w INT, area INT AS (w * w) VIRTUAL)")',
        'op.create_table("box", sa.Column("id", sa.Integer, primary_key=True), '
        'sa.Column("w", sa.Integer), sa.Column("area", sa.Integer, sa.Computed("w * w")))',
    ],
)
def test_a_generated_column_of_an_earlier_create_table_is_no_loss(
    tmp_path: Path, generated: str
) -> None:
    assert _l305(tmp_path, generated, 'op.drop_column("box", "area")') == []


def test_an_identity_column_of_a_raw_create_table_holds_values_of_its_own(tmp_path: Path) -> None:
    created = (
        'op.execute("CREATE TABLE box (id INT PRIMARY KEY, area INT GENERATED ALWAYS AS IDENTITY)")'
    )
    assert _l305(tmp_path, created, 'op.drop_column("box", "area")') == ["r1.py"]


# --- the downgrade computes it again --------------------------------------------------------

UPGRADE = 'op.drop_column("project", "completed")'
READD = 'op.add_column("project", sa.Column("completed", sa.Boolean(), nullable=True))'


@pytest.mark.parametrize(
    "fill",
    [
        # a constant for the rows other data chooses (a common table expression over task)
        '''
        op.execute("""
            WITH done AS (
                SELECT project_id, COUNT(*) AS n FROM task WHERE state = 'done'
                GROUP BY project_id
            ), total AS (SELECT project_id, COUNT(*) AS n FROM task GROUP BY project_id)
            UPDATE project SET completed = true WHERE project.id IN (
                SELECT total.project_id FROM total JOIN done ON done.project_id = total.project_id
                WHERE done.n = total.n
            )
        """)
        ''',
        # a value computed from the row's other columns
        'op.execute("UPDATE project SET completed = (closed_at IS NOT NULL)")',
        # a Core update reading another column
        """
        project = sa.table("project", sa.column("completed"), sa.column("closed_at"))
        op.execute(project.update().values(completed=project.c.closed_at.isnot(None)))
        """,
    ],
)
def test_a_column_the_downgrade_computes_again_from_other_data_is_no_loss(fill: str) -> None:
    downgrade = f"{READD}\nop.execute('UPDATE project SET completed = false')\n{fill.strip()}"
    assert "L305" not in codes(revision(UPGRADE, downgrade))


@pytest.mark.parametrize(
    ("upgrade", "fill"),
    [
        # a constant in every row restores nothing
        (UPGRADE, 'op.execute("UPDATE project SET completed = false")'),
        # the row's identity alone chooses rows, it computes nothing
        (UPGRADE, 'op.execute("UPDATE project SET completed = true WHERE id > 100")'),
        # also through a common table expression (the first project made the completed one)
        (
            UPGRADE,
            """op.execute(
                "WITH first AS (SELECT id FROM public.project ORDER BY id LIMIT 1) "
                "UPDATE public.project p SET completed = true FROM first WHERE p.id = first.id"
            )""",
        ),
        # through a link the upgrade itself adds: values of the upgrade's making
        (
            f'op.add_column("project", sa.Column("closed_at", sa.DateTime()))\n{UPGRADE}',
            'op.execute("UPDATE project SET completed = (closed_at IS NOT NULL)")',
        ),
        # from a table the upgrade drops too
        (
            f'op.drop_table("task")\n{UPGRADE}',
            'op.execute("UPDATE project SET completed = true WHERE id IN '
            "(SELECT project_id FROM task WHERE state = 'done')\")",
        ),
    ],
)
def test_a_downgrade_filling_a_constant_or_what_the_upgrade_made_leaves_it_reported(
    upgrade: str, fill: str
) -> None:
    downgrade = f"{READD}\n{fill}"
    assert "L305" in codes(revision(upgrade, downgrade))


def test_a_fill_before_the_column_is_added_back_computes_nothing() -> None:
    downgrade = f'op.execute("UPDATE project SET completed = (closed_at IS NOT NULL)")\n{READD}'
    assert "L305" in codes(revision(UPGRADE, downgrade))


def test_an_update_after_common_table_expressions_is_read_as_the_update() -> None:
    (statement,) = read_sql(
        "WITH done AS (SELECT project_id FROM task WHERE state = 'done') "
        "UPDATE project SET completed = true WHERE id IN (SELECT project_id FROM done)"
    )
    assert statement.kind == UPDATE and statement.table == "project"
    assert ("project", "completed") in statement.writes
    assert ("task", "state") in statement.reads
    # an expression's own columns are what its SELECT reads
    assert not any(table == "done" for table, _ in statement.reads)
    (select,) = read_sql("WITH x AS (SELECT a FROM t) SELECT a FROM x")
    assert select.kind == "select"


def test_an_update_from_list_names_tables_and_aliases_not_values() -> None:
    (statement,) = read_sql("UPDATE a SET x = o.y FROM other o WHERE a.id = o.a_id")
    assert statement.reads == {("a", "id"), ("other", "a_id"), ("other", "y")}
    (statement,) = read_sql(
        "UPDATE seg SET n = w.n FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY started) AS n "
        "FROM seg) w WHERE seg.id = w.id"
    )
    assert ("seg", "started") in statement.reads
    assert ("seg", "w") not in statement.reads


def test_a_schema_qualified_table_is_no_column_read() -> None:
    (statement,) = read_sql(
        "WITH first AS (SELECT id FROM rooms.locations ORDER BY id LIMIT 1) "
        "UPDATE rooms.locations loc SET is_default = true FROM first WHERE loc.id = first.id"
    )
    assert statement.reads == {("locations", "id")}


def test_a_column_after_from_inside_an_expression_is_still_read() -> None:
    (statement,) = read_sql(
        "UPDATE t SET y = EXTRACT(YEAR FROM created_at), z = EXTRACT(DAY FROM t.seen_at) "
        "WHERE a IS DISTINCT FROM b"
    )
    assert {("t", "created_at"), ("t", "seen_at"), ("t", "b")} <= statement.reads

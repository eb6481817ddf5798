"""The lint rules: stable codes, names, default severities, and what each one is about.

`linter.py` and its rule modules (data_rules, type_rules, structure_rules, ddl,
suppressions) implement them; this catalogue is what `alembic-sentinel lint --explain CODE`,
the SARIF rule descriptors and docs/rules.md say about them (tests keep the three in step).
Longer than 520 lines: one entry per rule, a table rather than logic, which splitting would
only scatter.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.report.model import ERROR, NOTICE, WARNING


class Rule(NamedTuple):
    code: str
    name: str  # kebab-case, stable
    severity: str  # the default; [tool.alembic-sentinel.lint-severity] overrides it
    summary: str  # one line
    why: str  # why it matters on MySQL/MariaDB
    fix: str  # one line


_RULES = (
    Rule(
        "L301",
        "not-null-without-default",
        ERROR,
        "a NOT NULL column is added to an existing table without a server_default",
        "The table may already hold rows, and they need a value for the new column. MySQL "
        "quietly gives every existing row the type's implicit default ('' for strings, 0 for "
        "numbers), which is rarely the truth; PostgreSQL and SQLite "
        "refuse the statement, so the revision is not portable to the test databases either. "
        "A notice on MySQL when the application's model declares that very value as the "
        "column's default: the rows get what the application writes for a new row.",
        "add the column nullable, fill it, then alter it to NOT NULL; or give it a server_default",
    ),
    Rule(
        "L302",
        "not-null-without-fill",
        WARNING,
        "a column is made NOT NULL with no data fill before it in the upgrade",
        "ALTER ... MODIFY col NOT NULL fails in strict mode (ERROR 1138, Invalid use of NULL "
        "value) as soon as one row holds NULL; with strict mode off it silently turns the "
        "NULLs into '' or 0. A column added "
        "nullable in the same revision holds NULL in every existing row.",
        "fill the column (op.execute(t.update().values(...)) or a session loop) before the alter",
    ),
    Rule(
        "L303",
        "fill-wrong-kind",
        ERROR,
        "a data fill writes a value of the wrong kind into a column whose type the revision shows",
        "MySQL converts instead of refusing: a boolean written to a VARCHAR becomes '1'/'0', a "
        "string written to an INT becomes 0 (with only a warning outside strict mode), so the "
        "data is wrong without any error. The guide's isListed example assigns a comparison "
        "(a bool) to a String(100) column.",
        "make the column's type match the values (sa.Boolean for a flag), or convert the value",
    ),
    Rule(
        "L304",
        "drop-table",
        WARNING,
        "the upgrade drops a table: its rows are lost",
        "DROP TABLE cannot be rolled back on MySQL (DDL commits implicitly) and the downgrade "
        "can recreate the table but not its rows; a model removed by mistake deletes production "
        "data on deploy.",
        "make sure the data is no longer needed (or archived), then suppress with the reason",
    ),
    Rule(
        "L305",
        "drop-column",
        WARNING,
        "the upgrade drops a column: its values are lost",
        "ALTER TABLE ... DROP COLUMN commits immediately on MySQL and the downgrade can only add "
        "the column back empty; if the application still reads it, deploys in the wrong order "
        "fail as well.",
        "make sure the values are no longer needed (or copied elsewhere), then suppress with the "
        "reason",
    ),
    Rule(
        "L306",
        "possible-rename",
        WARNING,
        "the upgrade adds and drops columns (or tables) together: perhaps a rename",
        "Autogenerate cannot see renames: it writes a drop and an add, which on MySQL loses "
        "every value of the old column and gives the new one defaults.",
        "for a rename use op.alter_column(t, old, new_column_name=new) or op.rename_table",
    ),
    Rule(
        "L307",
        "narrowing-type",
        ERROR,
        "a type change narrows the column (shorter, smaller or coarser type)",
        "In strict mode MySQL aborts the ALTER on the first value that does not fit (ERROR "
        "1265 Data truncated, 1264 Out of range); with strict mode off it truncates or clamps "
        "values silently. PostgreSQL refuses the values that do not fit; SQLite bounds no "
        "length, and converts only in a batch's rebuild. Without existing_type the type the "
        "history gave the column settles it; with neither the linter cannot tell (a notice).",
        "widen instead, or clean the data first and state existing_type so the change can be "
        "checked",
    ),
    Rule(
        "L308",
        "enum-values-changed",
        ERROR,
        "an Enum change removes or reorders values",
        "MySQL stores ENUM values by position: removing a value turns rows holding it into '' "
        "(or fails in strict mode), and reordering changes sort order and forces a table copy; "
        "inserting a value while keeping the others in order keeps them (L314 reports its "
        "table copy), and only appending at the end is instant.",
        "append new values at the end; migrate rows off a value before removing it",
    ),
    Rule(
        "L309",
        "unique-on-existing-table",
        WARNING,
        "a unique constraint or index is added to a table that already has rows",
        "CREATE UNIQUE INDEX fails (ERROR 1062, Duplicate entry) if the existing rows hold "
        "duplicates, which the development database rarely shows but production does. A "
        "warning when the upgrade itself writes the key's columns first (a copy, a constant, "
        "a normalisation); a notice when only the data already there could hold duplicates.",
        "check for duplicates first (SELECT col, COUNT(*) ... HAVING COUNT(*) > 1) and clean "
        "them in the revision",
    ),
    Rule(
        "L310",
        "drop-unnamed-constraint",
        ERROR,
        "drop_constraint / drop_index is given None as the name",
        "Alembic cannot drop a constraint it has no name for: the operation fails every time it "
        "runs (autogenerate writes None when the model's constraint was unnamed).",
        "put the constraint's real name (SHOW CREATE TABLE) in the drop, and name it in the model",
    ),
    Rule(
        "L311",
        "unnamed-constraint",
        WARNING,
        "a constraint is created without a name and the MetaData has no naming_convention",
        "MySQL invents the name (election_ibfk_1, a unique key named after its first column) "
        "and it can differ between servers and histories, so a later revision or the downgrade "
        "cannot name it to drop it.",
        "pass name=... (or set a naming_convention on the MetaData and use op.f())",
    ),
    Rule(
        "L312",
        "key-too-long",
        ERROR,
        "an index or key is longer than InnoDB's 3072-byte limit under utf8mb4",
        "InnoDB (DYNAMIC row format, MySQL 5.7+, MariaDB 10.2+) limits an index key to 3072 "
        "bytes, and utf8mb4 counts 4 bytes per character: VARCHAR(768) alone fills it. The "
        "statement fails with ERROR 1071 (Specified key was too long).",
        "index a prefix (mysql_length=...), shorten the columns, or index a hash of the value",
    ),
    Rule(
        "L313",
        "text-default",
        ERROR,
        "a TEXT/BLOB/JSON column has a server_default the target server refuses",
        "MySQL before 8.0.13 accepts no default at all on TEXT, BLOB and JSON columns (ERROR "
        "1101); from 8.0.13 only an expression default in parentheses works, not a literal. "
        "MariaDB 10.2.1+ accepts literal defaults.",
        "use server_default=sa.text(\"('value')\") on MySQL 8.0.13+, or set the value in a fill",
    ),
    Rule(
        "L314",
        "copy-ddl",
        WARNING,
        "the operation makes the target server copy the table (ALGORITHM=COPY) or block writes",
        "A COPY alter rebuilds the whole table while concurrent writes wait: on a large table "
        "this blocks the application for minutes. See docs/online-ddl.md for each operation's "
        "algorithm on MySQL and MariaDB.",
        "schedule it for a maintenance window or use an online schema change tool, then "
        "suppress with the reason",
    ),
    Rule(
        "L315",
        "module-level-op",
        ERROR,
        "an op.* or get_bind() call runs when the revision module is imported",
        "Alembic imports every revision to build the history: outside a migration the op proxy "
        "does not exist, so `alembic history`, `heads` and offline (--sql) mode fail, and "
        "pre-commit hooks that read the graph break.",
        "move the call into upgrade() / downgrade()",
    ),
    Rule(
        "L316",
        "imports-app-models",
        WARNING,
        "the revision imports the application's own code",
        "A revision must keep working years later, against the schema of its time: imported "
        "models change with the code, so old revisions break (or write today's columns into "
        "yesterday's table) when a fresh database is built.",
        "define the tables inline (sa.table(...) or an ORM class on its own Base), as the guide "
        "does",
    ),
    Rule(
        "L317",
        "empty-upgrade",
        WARNING,
        "upgrade() does nothing in a revision that is not a merge",
        "An empty revision is usually autogenerate finding no change, or a revision written and "
        "forgotten; it still moves every database's alembic_version and hides which revision "
        "was meant to carry the change.",
        "delete the revision, or write the operations it was created for",
    ),
    Rule(
        "L318",
        "missing-downgrade",
        WARNING,
        "downgrade() does nothing while upgrade() changes the schema",
        "A rollback after a failed deploy then moves alembic_version back without undoing the "
        "schema, leaving MySQL in a state no revision describes. A revision with no downgrade() "
        "at all is a forward-only history by design and is not reported, nor is an empty one "
        "in a long run of revisions that undo nothing (a project that stopped writing them).",
        "write the inverse operations, or raise an error saying the revision is irreversible",
    ),
    Rule(
        "L319",
        "downgrade-incomplete",
        WARNING,
        "an upgrade operation has no inverse in downgrade()",
        "After a downgrade the schema keeps part of this revision (a column, an index, a "
        "constraint), and upgrading again fails on MySQL with 'Duplicate column name' or "
        "'Duplicate key name'.",
        "undo every upgrade operation in downgrade(), in reverse order",
    ),
    Rule(
        "L320",
        "suppression-without-reason",
        ERROR,
        "a `# sentinel: ignore[...]` comment gives no reason",
        "A suppression is a decision someone reviewed; without the reason nobody can tell later "
        "whether it still holds. It does not suppress anything.",
        "write the reason after two dashes: # sentinel: ignore[L305] -- column unused since v2",
    ),
    Rule(
        "L321",
        "unknown-suppression",
        WARNING,
        "a suppression names a code that is not a lint rule",
        "A misspelt code suppresses nothing, so the finding it was meant for still fires, or "
        "the comment is stale.",
        "use a code from `alembic-sentinel lint --explain` / docs/rules.md, or remove the comment",
    ),
    Rule(
        "L322",
        "alter-column-without-type",
        ERROR,
        "alter_column renames a column or changes its nullability, autoincrement or comment "
        "without existing_type",
        "MySQL and MariaDB change a column only by restating its whole definition (CHANGE / "
        "MODIFY COLUMN), so Alembic needs the column's type and stops with 'All MySQL "
        "CHANGE/MODIFY COLUMN operations require the existing type' before running anything: "
        "the revision cannot run on MySQL, in the upgrade or the downgrade it is in. A "
        "server_default change alone is an ALTER COLUMN ... SET DEFAULT and needs no type.",
        "state existing_type= (and existing_nullable=, existing_server_default=) in the "
        "alter_column",
    ),
    Rule(
        "L323",
        "lob-key-without-length",
        ERROR,
        "a TEXT/BLOB/JSON column is in a primary key, unique key or index without a prefix length",
        "InnoDB indexes a TEXT or BLOB column only by a prefix: without mysql_length= MySQL "
        "refuses the key (ERROR 1170, BLOB/TEXT column used in key specification without a key "
        "length), and it cannot index a JSON column at all (ERROR 3152). MariaDB 10.4+ keeps a "
        "long UNIQUE as a hash and cuts a plain index to a prefix, but still refuses a primary "
        "key.",
        "index a prefix (mysql_length={'col': 191}), use a VARCHAR, or index a generated column "
        "of the value (JSON)",
    ),
    Rule(
        "L324",
        "varchar-without-length",
        ERROR,
        "a String/VARCHAR column has no length",
        "MySQL and MariaDB have no VARCHAR without a length: SQLAlchemy's MySQL dialect stops "
        "with 'VARCHAR requires a length on dialect mysql', so the revision fails before any "
        "statement runs (SQLite and PostgreSQL accept it, so tests there pass).",
        "give the length: sa.String(255)",
    ),
    Rule(
        "L325",
        "primary-key-on-existing-table",
        WARNING,
        "create_primary_key on a table that already has rows",
        "The primary key is InnoDB's clustered index: adding one rebuilds the whole table and "
        "every secondary index, fails on the first NULL or duplicate in its columns (ERROR 1265 "
        "/ 1062), and fails if the table already has one (ERROR 1068) unless it is dropped in "
        "the same statement.",
        "check the columns for NULLs and duplicates first, drop the old primary key, and "
        "schedule the rebuild; then suppress with the reason",
    ),
    Rule(
        "L326",
        "inline-references",
        ERROR,
        "raw SQL declares a foreign key inline (col INT REFERENCES t(id)), which MySQL ignores",
        "MySQL parses an inline REFERENCES clause of a column definition and ignores it: no "
        "foreign key is created and nothing says so, while the code relies on it. MariaDB "
        "creates it.",
        "declare it as a table constraint: FOREIGN KEY (col) REFERENCES t(id), or use "
        "op.create_foreign_key",
    ),
    Rule(
        "L327",
        "drop-foreign-key",
        NOTICE,
        "the upgrade drops a foreign key and does not create one on the table again",
        "From then on the server no longer checks that the rows point at existing ones, and "
        "orphans accumulate unnoticed; autogenerate writes the drop when a model loses its "
        "ForeignKey, often by mistake. Nothing fails: a notice to confirm it is meant.",
        "confirm the integrity check is no longer wanted (or recreate the foreign key), then "
        "suppress with the reason",
    ),
    Rule(
        "L328",
        "rename-breaks-running-code",
        NOTICE,
        "the upgrade renames a table or a column that running code reads",
        "During a deploy the previous application version keeps running against the new "
        "schema: its queries name the old table or column and fail until the new version is "
        "out. Nothing in the revision is wrong; the deploy order is.",
        "deploy in steps (add the new name, write both, move readers, drop the old), or accept "
        "the short outage; then suppress with the reason",
    ),
    Rule(
        "L329",
        "boolean-text-default",
        ERROR,
        "a Boolean column has server_default 'true' / 'false', which MySQL and MariaDB refuse",
        "PostgreSQL reads the string 'false' as a boolean; MySQL's BOOLEAN is TINYINT(1), and "
        "DEFAULT 'false' on it stops the migration with ERROR 1067 (Invalid default value) on "
        "MySQL and MariaDB (checked on MariaDB 10.11).",
        "server_default=sa.false() / sa.true() (or sa.text('0') / sa.text('1')): rendered as "
        "each server wants it",
    ),
    Rule(
        "L330",
        "modify-restates-column",
        WARNING,
        "alter_column changes a type or a name without existing_nullable, so MySQL's MODIFY "
        "drops NOT NULL (and the DEFAULT)",
        "On MySQL and MariaDB a type change or a rename is CHANGE/MODIFY COLUMN with the whole "
        "column definition. What the alter_column does not state, Alembic does not know: it "
        "writes the column NULL and without DEFAULT, so a NOT NULL column silently becomes "
        "nullable and loses its default. No error; the schema drifts from the models. On a "
        "primary-key column MySQL refuses the NULL instead (ERROR 1171): an error there. A "
        "nullability, comment or autoincrement alone is a MODIFY too, which drops the DEFAULT "
        "unless existing_server_default= states it.",
        "state existing_nullable= (and existing_server_default= when the column has a "
        "default) in the alter_column",
    ),
    Rule(
        "L331",
        "postgresql-only",
        ERROR,
        "PostgreSQL-only SQL, column types or index options in a revision run on MySQL/MariaDB "
        "(and SQLite's SQL and index options, double-quoted names)",
        "::casts, ILIKE, CONCURRENTLY, RETURNING, ON CONFLICT, ALTER COLUMN ... TYPE ... USING, "
        "$$ function bodies, CREATE TYPE / EXTENSION, UPDATE ... SET ... FROM, (on MySQL) "
        "sequences, SQLite's PRAGMA and INSERT OR IGNORE, and names in double quotes (strings "
        "to MySQL) are syntax errors on MySQL (ERROR 1064); postgresql.JSONB / ARRAY / UUID / "
        "CITEXT / INET have no MySQL rendering; postgresql_where / postgresql_using / "
        "sqlite_where silently vanish, so a partial unique index becomes unique over every row.",
        "write the MySQL form, or keep the PostgreSQL form in an "
        "`if op.get_bind().dialect.name == 'postgresql':` branch",
    ),
    Rule(
        "L332",
        "keyless-auto-increment",
        ERROR,
        "add_column adds an AUTO_INCREMENT primary key column to an existing table, which MySQL "
        "and MariaDB refuse",
        "A lone Integer primary key is SQLAlchemy's autoincrement column, so add_column writes "
        "ADD COLUMN id INTEGER NOT NULL AUTO_INCREMENT; Alembic adds no PRIMARY KEY with it, and "
        "the server stops the migration with ERROR 1075 (there can be only one auto column and "
        "it must be defined as a key), on a table with rows or without (checked on MariaDB "
        "10.11). PostgreSQL's SERIAL needs no key, so the revision passes there.",
        "create the key in the same statement (raw ALTER TABLE ... ADD COLUMN id INTEGER NOT "
        "NULL AUTO_INCREMENT PRIMARY KEY), or add the column with autoincrement=False, "
        "create_primary_key, then alter_column(..., autoincrement=True)",
    ),
    Rule(
        "L333",
        "mariadb-only-if-exists",
        ERROR,
        "add_column / drop_column / create_index / drop_index with if_not_exists / if_exists, "
        "whose IF [NOT] EXISTS only MariaDB parses",
        "Alembic writes ADD COLUMN IF NOT EXISTS, DROP COLUMN IF EXISTS, CREATE INDEX IF NOT "
        "EXISTS and DROP INDEX IF EXISTS for the MySQL dialect as for any other. MariaDB "
        "accepts them; MySQL's ALTER TABLE, CREATE INDEX and DROP INDEX have no such clause, so "
        "the migration stops with ERROR 1064 (a syntax error). create_table(if_not_exists=True) "
        "and drop_table(if_exists=True) are MySQL syntax and not reported.",
        "leave out if_not_exists= / if_exists= and test first what the table has "
        "(sa.inspect(bind).get_columns / get_indexes), or keep it in a MariaDB-only branch",
    ),
    Rule(
        "L334",
        "drop-without-type-or-table",
        ERROR,
        "drop_constraint without type_, or drop_index without table_name, which Alembic cannot "
        "run on MySQL/MariaDB",
        "MySQL has no generic DROP CONSTRAINT: it drops a foreign key, a unique key, a primary "
        "key or a check each with its own clause, and Alembic's MySQL dialect stops with 'No "
        "generic DROP CONSTRAINT in MySQL - please specify constraint type' before running "
        "anything. MySQL's DROP INDEX names the table; without table_name Alembic writes DROP "
        "INDEX ix ON no_table and the server refuses it (ERROR 1146). PostgreSQL and SQLite "
        "need neither, so tests there pass.",
        "give drop_constraint its type_= ('foreignkey', 'unique', 'primary', 'check') and "
        "drop_index its table_name=",
    ),
    Rule(
        "L335",
        "foreign-key-type-mismatch",
        ERROR,
        "a foreign key links columns of unlike types (INT to BIGINT, signed to UNSIGNED, a "
        "string to an integer), which InnoDB refuses",
        "InnoDB links only integers of one size and sign, or strings with strings: MySQL 8.0 "
        "stops with ERROR 3780, MariaDB with ERROR 1005 errno 150 (Foreign key constraint is "
        "incorrectly formed), foreign_key_checks=0 or not. PostgreSQL links INTEGER to BIGINT. "
        "Reported only when lint knows both types (the statement's or the history's).",
        "give the referencing column the referred column's type (size and sign)",
    ),
    Rule(
        "L336",
        "duplicate-index-name",
        ERROR,
        "create_index / create_unique_constraint under a name the table's index or unique key "
        "already has, with no drop between",
        "Indexes and unique keys share one name space per table: the second stops the "
        "migration with ERROR 1061 (Duplicate key name). Reported only when the revisions show "
        "the first created and not dropped since, with no step between lint cannot read.",
        "drop the first one before, or give the new one another name",
    ),
    Rule(
        "L337",
        "check-name-reused",
        ERROR,
        "a CHECK constraint is created under a name a CHECK still has (on any table on MySQL)",
        "MySQL 8.0 names CHECKs per schema: a name another table's CHECK holds is ERROR 3822 "
        "(Duplicate check constraint name). MariaDB names them per table and refuses only a "
        "name the same table holds (ERROR 1826). PostgreSQL names them per table.",
        "give each table's CHECK its own name (ck_%(table_name)s_... in a naming_convention)",
    ),
    Rule(
        "L338",
        "foreign-key-dropped-by-postgresql-name",
        ERROR,
        "drop_constraint drops a foreign key created without a name by PostgreSQL's name for "
        "it (<table>_<column>_fkey), which MySQL never gave it",
        "MySQL names an unnamed foreign key <table>_ibfk_<n>, PostgreSQL <table>_<column>_fkey "
        "(which autogenerate run on PostgreSQL writes into the drop): on MySQL/MariaDB the "
        "drop stops the migration with ERROR 1091 (Can't DROP ...; check that it exists).",
        "drop it by the name the server gave it (sa.inspect(bind).get_foreign_keys)",
    ),
    Rule(
        "L339",
        "foreign-key-name-reused",
        ERROR,
        "a named foreign key is created under a name a foreign key (of any table) still has",
        "InnoDB keeps foreign key names per schema: a name another foreign key holds, on "
        "another table or the same one, stops the migration with ERROR 1826 (Duplicate foreign "
        "key constraint name) on MySQL 8.0, ERROR 1005 (errno 121) on MariaDB. A column's "
        "ForeignKey(name=...) already creates the key: a raw ADD CONSTRAINT of the same name "
        "after it is refused.",
        "give each foreign key its own name, or drop the other first; leave a second creation "
        "of the same key out",
    ),
    Rule(
        "L340",
        "column-length-too-big",
        ERROR,
        "a VARCHAR longer than 65,535 bytes in its character set (utf8mb4: 16,383 characters) "
        "or a CHAR longer than 255",
        "MySQL and MariaDB refuse the column in strict mode, their default, with ERROR 1074 "
        "(Column length too big for column ...; use BLOB or TEXT instead); without strict mode "
        "the column silently becomes a TEXT type.",
        "use sa.Text() (MEDIUMTEXT for more than 64 KiB), or a shorter length",
    ),
    Rule(
        "L341",
        "column-dropped-under-foreign-key",
        ERROR,
        "drop_column of a column whose foreign key, created without a name, is still on it",
        "MySQL and MariaDB do not drop a foreign key with its column: MySQL 8.0 stops the "
        "migration with ERROR 1828 (Cannot drop column ...: needed in a foreign key "
        "constraint), MariaDB with ERROR 1553 (Cannot drop index ...). Reported only when the "
        "revisions show the key created and not dropped since.",
        "drop the foreign key first (by the name the server gave it), then the column",
    ),
    Rule(
        "L342",
        "dropped-again",
        ERROR,
        "drop_column or drop_table of what an earlier step or an ancestor revision already "
        "dropped, with nothing making it again",
        "On a database built from the history the column or table is not there: MySQL and "
        "MariaDB stop the migration with ERROR 1091 (Can't DROP COLUMN ...; check that it "
        "exists) or ERROR 1051 (Unknown table). Usually an autogenerated revision made against "
        "a database that drifted from the history. Reported only for an unguarded drop, when "
        "the dropping revision is an ancestor and no revision made it again.",
        "remove the drop (the history already dropped it), or guard it by an existence test "
        "if some databases still hold it",
    ),
    Rule(
        "L343",
        "column-dropped-from-multi-column-key",
        ERROR,
        "drop_column of a column that a primary or unique key of several columns, still on the "
        "table, holds",
        "MariaDB 10.2.8+ refuses the drop with ERROR 1072 (Key column ... doesn't exist in "
        "table), on an empty table too; MySQL takes the column out of the key, which narrows "
        "to the other columns: ERROR 1062 (Duplicate entry) as soon as two rows share them. "
        "Reported only when the revisions show the key created and not dropped since.",
        "drop the key first, then the column, and create the key you want after it",
    ),
    Rule(
        "L344",
        "alter-column-argument-ignored",
        ERROR,
        "an alter_column keyword Alembic neither uses nor passes to the server "
        "(primary_key=, unique=, index=, default=, a misspelt parameter)",
        "Alembic's alter_column gathers unknown keywords in **kw and the dialects drop them: "
        'alter_column("t", "c", primary_key=True) writes no SQL for the key, and databases '
        "the migration built have none. autoincrement= is read on MySQL only (and by a batch "
        "that rebuilds the table). A misspelt existing_*= is a warning: it only says what the "
        "column is.",
        "make the change with the operation that does it: create_primary_key, "
        "create_unique_constraint or create_index, server_default=, the parameter's right spelling",
    ),
    # Raised by the rollout plan (`plan`, and `ci` with table-stats), not by `lint`: it needs
    # the tables' sizes (docs/rollout.md).
    Rule(
        "R601",
        "long-write-block",
        ERROR,
        "a revision blocks writes longer than max-blocking-seconds on the production tables",
        "A table COPY (or an in-place rebuild under LOCK=SHARED) makes every INSERT, UPDATE and "
        "DELETE on the table wait until it finishes: on a table of millions of rows that is "
        "minutes to hours of failed requests, estimated here from the table statistics of "
        "`alembic-sentinel stats` and the calibrated cost model.",
        "use the advice of `alembic-sentinel plan` (the INSTANT form, an expand/contract split, "
        "or gh-ost / pt-online-schema-change), or schedule it; then suppress with the reason",
    ),
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.code: rule for rule in _RULES})

# hazards of MySQL/MariaDB alone: not applied when the target is PostgreSQL or SQLite
MYSQL_ONLY = frozenset(
    {
        "L308",  # an ENUM's positions; PostgreSQL's named types, SQLite's VARCHAR (round 38)
        "L312",
        "L313",
        "L314",
        "L322",
        "L323",
        "L324",
        "L326",
        "L329",
        "L330",
        "L332",
        "L333",
        "L334",
        "L335",
        "L336",
        "L337",
        "L338",
        "L339",
        "L340",
        "L341",
        "L342",
        "L343",
    }
)
# what PostgreSQL does itself: it names unnamed constraints predictably (<table>_<col>_fkey)
POSTGRESQL_HANDLES = frozenset({"L311"})
# checks only a MySQL/MariaDB target needs: SQL and types MySQL does not have
MYSQL_TARGET_ONLY = frozenset({"L331"})


def applies(code: str, flavor: str) -> bool:
    """Whether rule `code` is about the target `flavor` ("mysql", "mariadb", "postgresql",
    "sqlite")."""
    if flavor in ("mysql", "mariadb"):
        return True
    if code in MYSQL_ONLY or code in MYSQL_TARGET_ONLY:
        return False
    return not (flavor == "postgresql" and code in POSTGRESQL_HANDLES)


def explain(code: str) -> str:
    """The rule as plain text; KeyError for a code that is not a rule."""
    rule = RULES[code]
    return (
        f"{rule.code} {rule.name} ({rule.severity})\n"
        f"{rule.summary}\n\n"
        f"Why: {rule.why}\n\n"
        f"Fix: {rule.fix}\n"
    )

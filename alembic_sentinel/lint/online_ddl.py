"""The online-DDL algorithm MySQL/MariaDB (InnoDB) uses for each kind of schema change.

`ddl_algorithm` gives the best algorithm the server picks on its own, with default settings, for
a `DdlChange`: INSTANT (metadata only), INPLACE (no table copy; some changes rebuild the table in
place, mostly with writes going on), COPY (rows are copied into a new table while concurrent
writes wait), or N/A (not an ALTER TABLE). The linter warns on COPY; `explain_algorithm` says why.

Sources, quoted in the comments below:
- MySQL 5.7 / 8.0 / 8.4 Reference Manual, "Online DDL Operations"
  (https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html);
- MariaDB, "InnoDB Online DDL Operations with the INSTANT / NOCOPY / INPLACE Alter Algorithm"
  (https://mariadb.com/docs/server/server-usage/storage-engines/innodb/innodb-online-ddl/).
The answers for the test server (MariaDB 10.11 here) are also checked against the server itself
(tests/test_online_ddl.py). MariaDB's NOCOPY (in place, no rebuild) is reported as INPLACE.
Assumed: what Alembic's MySQL dialect emits (add_column appends the column, a rename keeps the
type), tables without a FULLTEXT index, and the default ROW_FORMAT=DYNAMIC.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import NamedTuple

from alembic_sentinel.lint.lazy_patterns import LazyPattern

FLAVORS = ("mysql", "mariadb")
# targets the revision review knows besides MySQL/MariaDB: it reports their own hazards and
# leaves out the MySQL-only ones (no online-DDL table for them)
OTHER_FLAVORS = ("postgresql", "sqlite")
INSTANT, INPLACE, COPY, NOT_ALTER = "INSTANT", "INPLACE", "COPY", "N/A"

# A missing part of a version stands for the newest release of that series.
_LATEST = sys.maxsize
_VERSION = LazyPattern(r"\s*(mysql|mariadb)(?:[-:]|\s+)(\d+)\.(\d+)(?:\.(\d+))?\s*", re.IGNORECASE)
_OTHER = LazyPattern(
    r"\s*(postgresql|postgres|sqlite)(?:[-:\s]+\d+(?:\.\d+){0,2})?\s*", re.IGNORECASE
)
_ACCEPTED = (
    "FLAVOR-MAJOR.MINOR[.PATCH] with FLAVOR mysql or mariadb, e.g. mysql-8.0, mariadb-10.11; "
    "or postgresql, sqlite"
)
# The oldest series whose online DDL the rules below describe: older ones (MySQL 5.6, MariaDB
# 10.1) could not extend a VARCHAR in place, among other differences.
_OLDEST = {"mysql": (5, 7), "mariadb": (10, 2)}


class ServerVersion(NamedTuple):
    """A target server: flavor "mysql" or "mariadb" and a version, (8, 0) meaning the newest 8.0.x
    release and (8, 0, 12) that release."""

    flavor: str
    version: tuple[int, ...]

    def at_least(self, *version: int) -> bool:
        """Whether this server is `version` or newer; a part missing here counts as the newest
        release, so mysql-8.0 is at least 8.0.29 and mysql-8.0.12 is not."""
        width = max(len(self.version), len(version))
        mine = self.version + (_LATEST,) * (width - len(self.version))
        return mine >= version + (0,) * (width - len(version))

    @property
    def is_mysql(self) -> bool:
        """MySQL or MariaDB: the servers whose hazards most rules are about."""
        return self.flavor in FLAVORS

    def __str__(self) -> str:
        if not self.version:
            return self.flavor
        return f"{self.flavor}-{'.'.join(str(part) for part in self.version)}"


DEFAULT_TARGET = ServerVersion("mysql", (8, 0))


def parse_server_version(text: str) -> ServerVersion:
    """Read "mysql-8.0", "mysql:8.0.12", "MariaDB 10.11", "postgresql", "sqlite" (any case);
    ValueError otherwise."""
    other = _OTHER.fullmatch(text)
    if other is not None:
        flavor = other.group(1).lower()
        return ServerVersion("postgresql" if flavor == "postgres" else flavor, ())
    match = _VERSION.fullmatch(text)
    if match is None:
        raise ValueError(f"unknown database target {text!r}: expected {_ACCEPTED}")
    flavor = match.group(1).lower()
    version = tuple(int(part) for part in match.groups()[1:] if part is not None)
    if version < _OLDEST[flavor]:
        oldest = ".".join(str(part) for part in _OLDEST[flavor])
        raise ValueError(
            f"database target {text!r} is older than {flavor}-{oldest}, the oldest covered"
        )
    return ServerVersion(flavor, version)


_SERVER_VERSION = LazyPattern(r"(\d+)\.(\d+)\.(\d+)")


def server_target(version: str) -> ServerVersion | None:
    """The target a server is, from its `SELECT VERSION()` ("10.11.19-MariaDB-1~deb12",
    "8.0.36"); None when it is not one the rules cover."""
    match = _SERVER_VERSION.match(version.strip())
    if match is None:
        return None
    flavor = "mariadb" if "mariadb" in version.lower() else "mysql"
    numbers = tuple(int(part) for part in match.groups())
    return ServerVersion(flavor, numbers) if numbers >= _OLDEST[flavor] else None


DDL_KINDS: tuple[str, ...] = (
    "add_column",
    "add_column_positioned",
    "add_stored_column",
    "drop_column",
    "rename_column",
    "change_type",
    "set_auto_increment",
    "widen_varchar",
    "set_not_null",
    "set_nullable",
    "set_default",
    "drop_default",
    "create_index",
    "drop_index",
    "add_unique",
    "add_foreign_key",
    "drop_foreign_key",
    "add_primary_key",
    "drop_primary_key",
    "add_check",
    "drop_check",
    "enum_append",
    "enum_change",
    "enum_grow",
    "change_engine",
    "partition",
    "convert_charset",
    "convert_charset_mb4",
    "create_table",
    "drop_table",
    "rename_table",
    "execute",
)


class DdlChange(NamedTuple):
    """One schema change: `kind` from DDL_KINDS; `auto_increment` for an add_column of an
    AUTO_INCREMENT column; for widen_varchar the maximum byte length before and after (characters
    times 4 under utf8mb4); a new length below the old one is a shrink."""

    kind: str
    auto_increment: bool = False
    old_length_bytes: int | None = None
    new_length_bytes: int | None = None


def ddl_algorithm(change: DdlChange, target: ServerVersion) -> str:
    """The best algorithm `target` uses for `change` with default settings (foreign_key_checks=1,
    strict sql_mode): "INSTANT", "INPLACE", "COPY", or "N/A" when it is not an ALTER TABLE."""
    return _classify(change, target)[0]


def blocks_writes(change: DdlChange, target: ServerVersion) -> bool:
    """Whether concurrent writes wait for the whole change: a COPY, or the in-place rebuild
    that fills a new AUTO_INCREMENT column (LOCK=SHARED)."""
    if ddl_algorithm(change, target) == COPY:
        return True
    return change.kind == "add_column" and change.auto_increment


def explain_algorithm(change: DdlChange, target: ServerVersion) -> str:
    """One line saying why `ddl_algorithm` answers what it does for `change` on `target`."""
    return _classify(change, target)[1]


def _classify(change: DdlChange, target: ServerVersion) -> tuple[str, str]:
    if target.flavor not in FLAVORS:
        raise ValueError(f"unknown database flavor {target.flavor!r}: expected mysql or mariadb")
    rule = _RULES.get(change.kind)
    if rule is None:
        raise ValueError(f"unknown DDL change kind {change.kind!r}: expected one of {DDL_KINDS}")
    return rule(change, target)


_Answer = tuple[str, str]  # (algorithm, why)
_Rule = Callable[[DdlChange, ServerVersion], _Answer]


def _release(
    target: ServerVersion, mysql: tuple[int, ...], mariadb: tuple[int, ...]
) -> tuple[bool, str]:
    """Whether `target` is at least its flavor's release, and that release named: "MySQL 8.0.29"."""
    wanted = mysql if target.flavor == "mysql" else mariadb
    vendor = "MySQL" if target.flavor == "mysql" else "MariaDB"
    return target.at_least(*wanted), f"{vendor} {'.'.join(str(part) for part in wanted)}"


def _instant_since(
    mysql: tuple[int, ...], mariadb: tuple[int, ...], instant: str, before: str
) -> _Rule:
    """INSTANT from the given releases on, INPLACE (no copy) before them."""

    def rule(change: DdlChange, target: ServerVersion) -> _Answer:
        reached, release = _release(target, mysql, mariadb)
        if reached:
            return INSTANT, f"{release}+ {instant}"
        return INPLACE, f"before {release}, {before}"

    return rule


def _always(algorithm: str, why: str) -> _Rule:
    def rule(change: DdlChange, target: ServerVersion) -> _Answer:
        return algorithm, why

    return rule


def _convert_to_utf8mb4(change: DdlChange, target: ServerVersion) -> _Answer:
    if target.flavor == "mariadb" and target.at_least(10, 11):
        return INPLACE, "MariaDB 10.11+ converts utf8mb3 to utf8mb4 in place, without a copy"
    return COPY, "converting the table's character set copies the table"


def _add_column(change: DdlChange, target: ServerVersion) -> _Answer:
    if change.auto_increment:
        # MySQL (5.7, 8.0, 8.4): "Concurrent DML is not permitted when adding an auto-increment
        # column ... At a minimum, ALGORITHM=INPLACE, LOCK=SHARED is required." MariaDB (INPLACE
        # page): ADD COLUMN allows LOCK=NONE "with the exception of adding an auto-increment
        # column" (error 1854, "requires a lock"). No copy, but writes wait for the rebuild.
        return INPLACE, (
            "a new AUTO_INCREMENT column is filled by rebuilding the table in place,"
            " with writes blocked (LOCK=SHARED) until it finishes"
        )
    # MySQL 8.0: "INSTANT is the default algorithm as of MySQL 8.0.12 ... Before MySQL 8.0.29, the
    # INSTANT algorithm could only add a column as the last column of the table" - where
    # op.add_column puts it. MariaDB: INSTANT "if the new column is the last column" since
    # 10.3.2, "regardless of where in the column list" since 10.4.
    anywhere, release = _release(target, (8, 0, 29), (10, 4))
    if anywhere:
        return INSTANT, f"{release}+ adds columns instantly in any position"
    return _instant_since(
        (8, 0, 12),
        (10, 3, 2),
        "adds a column instantly as the last column, where op.add_column puts it",
        "adding a column rebuilds the table in place (writes allowed)",
    )(change, target)


def _widen_varchar(change: DdlChange, target: ServerVersion) -> _Answer:
    old, new = change.old_length_bytes, change.new_length_bytes
    if old is None or new is None:
        # Conservative: without the byte lengths we cannot tell whether the length prefix grows.
        return COPY, "the VARCHAR's byte lengths are unknown, so the length prefix may grow (copy)"
    if new < old:
        # MySQL: "Decreasing VARCHAR size requires a table copy (ALGORITHM=COPY)"; MariaDB: only
        # increases are listed as INSTANT/INPLACE (a shrink was COPY on 10.11).
        return COPY, f"shrinking a VARCHAR ({old} -> {new} bytes) copies the table"
    # Both vendors: 0-255 bytes take a 1-byte length prefix, 256+ bytes a 2-byte one; "in-place
    # ALTER TABLE does not support increasing the size of a VARCHAR column from less than 256
    # bytes to a size equal to or greater than 256 bytes ... only supported by a table copy".
    same_prefix = (old <= 255) == (new <= 255)
    sizes = f"{old} -> {new} bytes"
    if target.flavor == "mysql":
        if same_prefix:
            return (
                INPLACE,
                f"MySQL extends a VARCHAR in place while its length prefix stays ({sizes})",
            )
        return COPY, f"MySQL copies the table when a VARCHAR crosses 255 bytes ({sizes})"
    # MariaDB 10.4.3+ (ROW_FORMAT=DYNAMIC/COMPACT/COMPRESSED, DYNAMIC being the default): INSTANT
    # within 0-255 or within 256+, and "if the original length of the column is 127 bytes or
    # less" whatever the new one; "can not ... if the original length was between 128 bytes and
    # 255 bytes, and the new length is 256 bytes or more". 10.3: INSTANT only while the prefix
    # stays; 10.2.2+: the same, INPLACE.
    if target.at_least(10, 4, 3) and (same_prefix or old <= 127):
        return INSTANT, f"MariaDB 10.4.3+ extends this VARCHAR instantly ({sizes})"
    if same_prefix and target.at_least(10, 3):
        return (
            INSTANT,
            f"MariaDB 10.3+ extends a VARCHAR instantly within its length prefix ({sizes})",
        )
    if same_prefix and target.at_least(10, 2, 2):
        return (
            INPLACE,
            f"MariaDB 10.2.2+ extends a VARCHAR in place within its length prefix ({sizes})",
        )
    return (
        COPY,
        f"MariaDB copies the table when a VARCHAR of 128+ bytes crosses 255 bytes ({sizes})",
    )


def _add_check(change: DdlChange, target: ServerVersion) -> _Answer:
    # MySQL 5.7 and 8.0 before 8.0.16: "The CHECK clause is parsed but ignored by all storage
    # engines", so nothing is stored or validated. From 8.0.16 the server validates existing rows
    # by copying the table: the 8.0 manual's online DDL tables do not list CHECK constraints, but
    # sql_table.cc forces COPY when check constraints need evaluating, and MySQL bug #117450
    # (8.4.3) answers ALGORITHM=INSTANT with "Try ALGORITHM=COPY". MariaDB: COPY (10.11: INPLACE
    # "is not supported for this operation. Try ALGORITHM=COPY").
    if target.flavor == "mysql" and not target.at_least(8, 0, 16):
        return (
            INPLACE,
            "before MySQL 8.0.16, CHECK constraints are parsed and ignored (not enforced)",
        )
    return COPY, "adding a CHECK constraint copies the table to validate every existing row"


def _drop_check(change: DdlChange, target: ServerVersion) -> _Answer:
    if target.flavor == "mysql":
        # InnoDB ignores DROP_CHECK_CONSTRAINT (INNOBASE_INPLACE_IGNORE in handler0alter.cc),
        # which makes the ALTER instant; before 8.0.16 there are no CHECK constraints to drop.
        if target.at_least(8, 0, 16):
            return INSTANT, "MySQL 8.0.16+ drops a CHECK constraint in the data dictionary only"
        return INPLACE, "before MySQL 8.0.16 there are no CHECK constraints: nothing is rebuilt"
    # MariaDB INSTANT page: "In MariaDB 10.3.6 and later, InnoDB supports dropping a CHECK
    # constraint from a table with ALGORITHM set to INSTANT".
    if target.at_least(10, 3, 6):
        return INSTANT, "MariaDB 10.3.6+ drops a CHECK constraint instantly"
    return INPLACE, "before MariaDB 10.3.6, a CHECK constraint is dropped in place"


def _drop_foreign_key(change: DdlChange, target: ServerVersion) -> _Answer:
    if target.flavor == "mysql":
        # MySQL foreign key table: Instant "No", In Place "Yes", Only Modifies Metadata "Yes".
        return INPLACE, "MySQL drops a foreign key in place, metadata only"
    # MariaDB INSTANT page: "InnoDB supports dropping foreign key constraints from a table with
    # ALGORITHM set to INSTANT" (10.3 threshold: see below).
    if target.at_least(10, 3):
        return INSTANT, "MariaDB 10.3+ drops a foreign key instantly"
    return INPLACE, "before MariaDB 10.3, a foreign key is dropped in place, metadata only"


# MariaDB: 10.3 is the series that brought instant ALTER (MDEV-11369, MDEV-13134); the INSTANT
# page names no later release for the metadata-only changes below, so 10.3 is their threshold.
# MySQL: ALGORITHM=INSTANT exists since 8.0.12, which made these instant (8.0 manual, "Instant").
_RULES: dict[str, _Rule] = {
    "add_column": _add_column,
    # MySQL 8.0: "INSTANT is the default algorithm as of MySQL 8.0.29, and INPLACE before that";
    # 5.7: in place, rebuilds. MariaDB: INSTANT "in MariaDB 10.4 and later". Dropping an indexed
    # column also drops its index, which MariaDB does with NOCOPY: still no copy.
    "drop_column": _instant_since(
        (8, 0, 29),
        (10, 4),
        "drops a column instantly",
        "dropping a column rebuilds the table in place (writes allowed)",
    ),
    # MySQL: "ALGORITHM=INSTANT support for renaming a column was added in MySQL 8.0.28. Earlier
    # MySQL Server releases support only ALGORITHM=INPLACE and ALGORITHM=COPY". Both vendors:
    # only while the type and nullability stay, as Alembic's CHANGE clause keeps them.
    "rename_column": _instant_since(
        (8, 0, 28),
        (10, 3),
        "renames a column instantly (same type and nullability)",
        "renaming a column changes metadata only, in place",
    ),
    # MySQL: "Changing the column data type is only supported with ALGORITHM=COPY". MariaDB:
    # not INSTANT or INPLACE "in most cases"; its exceptions need ROW_FORMAT=REDUNDANT.
    "change_type": _always(COPY, "changing a column's data type copies the table"),
    # Making an existing column AUTO_INCREMENT (`alter_column(autoincrement=True)`: MODIFY ...
    # AUTO_INCREMENT): MySQL and MariaDB refuse ALGORITHM=INPLACE with ERROR 1846 "Cannot change
    # column type" (tests/test_online_ddl.py runs it on the server).
    "set_auto_increment": _always(
        COPY, "making a column AUTO_INCREMENT changes its definition by copying the table"
    ),
    # Raw SQL only (op.add_column always appends): ADD COLUMN ... FIRST / AFTER c. MySQL 8.0:
    # INSTANT in any position since 8.0.29 (the last position only, 8.0.12-8.0.28); MariaDB:
    # INSTANT in any position since 10.4 (10.3: only the last). Before, a rebuild in place.
    "add_column_positioned": _instant_since(
        (8, 0, 29),
        (10, 4),
        "adds a column instantly in any position",
        "adding a column before existing ones rebuilds the table in place",
    ),
    # MySQL generated columns table: adding a STORED column, In Place "No" (a copy); a
    # VIRTUAL one is instant. MariaDB 10.11 answers ALGORITHM=INPLACE with "Try ALGORITHM=COPY"
    # (tests/test_online_ddl.py checks it on the server).
    "add_stored_column": _always(
        COPY, "adding a STORED generated column computes it for every row by copying the table"
    ),
    "widen_varchar": _widen_varchar,
    # MySQL and MariaDB INPLACE pages: "Rebuilds the table in place"; needs strict sql_mode and
    # fails if the column holds NULLs.
    "set_not_null": _always(
        INPLACE, "making a column NOT NULL rebuilds the table in place (writes allowed)"
    ),
    # MySQL: "Rebuilds the table in place". MariaDB: INSTANT only with ROW_FORMAT=REDUNDANT,
    # INPLACE (rebuild) with the default DYNAMIC (reproduced on 10.11).
    "set_nullable": _always(
        INPLACE, "making a column nullable rebuilds the table in place (writes allowed)"
    ),
    # MySQL 8.0: Instant "Yes" ("Default column values are stored in the data dictionary");
    # 5.7: in place, metadata only. MariaDB INSTANT page: setting and removing a DEFAULT.
    "set_default": _instant_since(
        (8, 0, 12),
        (10, 3),
        "changes a default instantly",
        "a default changes in place, metadata only",
    ),
    "drop_default": _instant_since(
        (8, 0, 12),
        (10, 3),
        "drops a default instantly",
        "a default is dropped in place, metadata only",
    ),
    # MySQL index table: secondary index In Place "Yes", Rebuilds "No", concurrent DML "Yes"
    # (FULLTEXT and SPATIAL: "No"); dropping: metadata only. MariaDB: NOCOPY.
    "create_index": _always(
        INPLACE, "an index is built in place while writes go on (not FULLTEXT or SPATIAL ones)"
    ),
    "drop_index": _always(INPLACE, "an index is dropped in place, metadata only"),
    "add_unique": _always(
        INPLACE, "a UNIQUE index is built in place while writes go on (it fails on duplicates)"
    ),
    # MySQL: "The INPLACE algorithm is supported when foreign_key_checks is disabled. Otherwise,
    # only the COPY algorithm is supported." MariaDB: "If it is set to ON, then ALGORITHM=COPY is
    # required." We assume the default foreign_key_checks=1: turning the checks off skips
    # validating existing rows, which is the migration author's call, not the linter's.
    "add_foreign_key": _always(
        COPY,
        "with foreign_key_checks=1 (the default) a foreign key is added by copying the table",
    ),
    "drop_foreign_key": _drop_foreign_key,
    # MySQL: adding "Rebuilds the table in place"; "Only ALGORITHM=COPY supports dropping a primary
    # key without adding a new one". MariaDB INPLACE page: the same.
    "add_primary_key": _always(
        INPLACE, "adding a primary key rebuilds the table in place (writes allowed)"
    ),
    "drop_primary_key": _always(
        COPY, "dropping a primary key without adding another copies the table"
    ),
    "add_check": _add_check,
    "drop_check": _drop_check,
    # MySQL: appending ENUM/SET members "may be performed instantly or in place, as long as the
    # storage size of the data type does not change" (a SET passing 8 members needs a copy);
    # "Adding members in the middle of the list causes renumbering ... requires a table copy".
    # MariaDB: INSTANT when "added to the end of the list" and storage does not change.
    "enum_append": _instant_since(
        (8, 0, 12),
        (10, 3),
        "appends ENUM/SET members instantly while their storage size stays",
        "appending ENUM/SET members changes metadata only, in place",
    ),
    "enum_change": _always(
        COPY, "changing ENUM/SET members other than appending renumbers them: the table is copied"
    ),
    # MySQL: an ENUM takes 1 byte up to 255 members and 2 beyond, a SET 1, 2, 3, 4 or 8 bytes
    # for up to 8, 16, 24, 32 and 64 members: "as long as the storage size of the data type does
    # not change" is the condition of the instant append, so crossing one copies the table.
    "enum_grow": _always(
        COPY, "the new ENUM/SET members change its storage size (255 ENUM, 8/16/24/32 SET)"
    ),
    # Raw SQL only: ALTER TABLE ... ENGINE=x. MySQL table operations: "Changing the storage
    # engine" is not in place (ALGORITHM=COPY); naming the same engine again is a null rebuild
    # in place, which the statement alone cannot tell apart.
    "change_engine": _always(COPY, "changing the storage engine copies the table"),
    # Raw SQL only: PARTITION BY / REMOVE PARTITIONING. MySQL partitioning operations: "only
    # ALGORITHM=DEFAULT and ALGORITHM=COPY" for partitioning or removing it.
    "partition": _always(COPY, "partitioning a table (or removing it) copies the table"),
    # Raw SQL only: ALTER TABLE ... CONVERT TO CHARACTER SET x. MySQL table operations:
    # "Converting a character set": In Place No, Rebuilds Table Yes, Permits Concurrent DML No.
    # MariaDB 10.11 (checked): ALGORITHM=INPLACE refused, "Cannot change column type" (latin1 or
    # utf8mb4 to another set), but see convert_charset_mb4.
    "convert_charset": _always(COPY, "converting the table's character set copies the table"),
    # From utf8mb3 (the table's set, as the history declares it) to utf8mb4: still a copy on
    # MySQL; MariaDB 10.11 converts it without a copy (ALGORITHM=NOCOPY accepted, checked, with
    # and without an index on the string column). Earlier MariaDB releases were not checked.
    "convert_charset_mb4": _convert_to_utf8mb4,
    "create_table": _always(NOT_ALTER, "CREATE TABLE is not an ALTER TABLE: nothing to rebuild"),
    "drop_table": _always(NOT_ALTER, "DROP TABLE is not an ALTER TABLE: nothing is copied"),
    # MySQL 8.0 table operations: renaming a table, Instant "Yes"; 5.7: in place, metadata only.
    # MariaDB INSTANT page: supported, with an exclusive lock for the (short) rename.
    "rename_table": _instant_since(
        (8, 0, 12), (10, 3), "renames a table instantly", "a table is renamed in place"
    ),
    "execute": _always(NOT_ALTER, "raw SQL (op.execute) is not classified: review it by hand"),
}

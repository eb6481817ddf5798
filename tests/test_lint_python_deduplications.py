"""L309 and a unique key after the upgrade removed the duplicates itself in Python (issue 20,
round 28): it loads the table's rows, keys each by some of its columns in a dict or set of the
keys seen, and deletes the rows found alike, in upgrade() or in a function of the same file it
calls. Only a grouping by columns of the key, on the key's table, before the key and after the
last write of its columns, counts. Our own fixtures."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_histories import lint
from test_lint_rules import revision

MODELS = """
from sqlalchemy import orm
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Setting(Base):
    __tablename__ = "setting"
    id = sa.Column(sa.Integer, primary_key=True)
    owner_id = sa.Column(sa.Integer)
    key = sa.Column(sa.String(64))
    value = sa.Column(sa.Text)


class Tag(Base):
    __tablename__ = "tag"
    id = sa.Column(sa.Integer, primary_key=True)
    label = sa.Column(sa.String(64))


def _drop_repeated_settings(session):
    kept = set()
    for setting in session.query(Setting).order_by(Setting.id):
        pair = (setting.owner_id, setting.key)
        if pair in kept:
            session.delete(setting)
        else:
            kept.add(pair)
    session.commit()
"""

DICT_DEDUP = """
session = orm.Session(bind=op.get_bind())
rows = session.query(Setting).all()
seen = {}
doomed = []
for row in rows:
    name = "{}:{}".format(row.owner_id, row.key)
    if seen.get(name):
        doomed.append(seen[name])
    seen[name] = row
for row in doomed:
    session.delete(row)
session.commit()
"""
HELPER_DEDUP = "_drop_repeated_settings(orm.Session(bind=op.get_bind()))"
KEY = 'op.create_unique_constraint("uq_setting_owner_key", "setting", ["owner_id", "key"])'


def _l309(body: str) -> list[str]:
    found = lint(revision(textwrap.dedent(body), header=MODELS))
    return [f.message for f in found if f.code == "L309"]


@pytest.mark.parametrize("dedup", [DICT_DEDUP, HELPER_DEDUP])
def test_rows_grouped_by_the_key_and_deleted_first_keep_the_key_quiet(dedup: str) -> None:
    assert _l309(dedup + "\n" + KEY) == []


def test_grouped_by_fewer_columns_than_the_key_is_enough() -> None:
    key = 'op.create_unique_constraint("uq_x", "setting", ["owner_id", "key", "value"])'
    assert _l309(DICT_DEDUP + "\n" + key) == []


@pytest.mark.parametrize(
    "body",
    [
        # grouped by a column outside the key
        DICT_DEDUP.replace("row.key", "row.value") + "\n" + KEY,
        # the key made before the de-duplication
        KEY + "\n" + DICT_DEDUP,
        # grouped, but nothing deleted
        DICT_DEDUP.replace("session.delete(row)", "print(row.id)") + "\n" + KEY,
        # another table grouped
        DICT_DEDUP.replace("query(Setting)", "query(Tag)") + "\n" + KEY,
        # the key's column written after the de-duplication: alike rows again
        DICT_DEDUP + '\nop.execute("UPDATE setting SET `key` = lower(`key`)")\n' + KEY,
        # a dict only looked up by the rows (a translation), never filled by them
        """
        session = orm.Session(bind=op.get_bind())
        renamed = {"a": "b"}
        for row in session.query(Setting):
            if renamed.get(row.key):
                session.delete(row)
        session.commit()
        """
        + KEY,
    ],
)
def test_no_grouping_by_the_key_before_it_is_reported(body: str) -> None:
    assert len(_l309(body)) == 1

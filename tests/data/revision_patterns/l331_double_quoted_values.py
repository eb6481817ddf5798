"""backfills member badges: double-quoted strings MySQL reads as values

Revision ID: 31b1c0de0011
Revises: 31b1c0de0010
"""

import sqlalchemy as sa
from alembic import op

revision = "31b1c0de0011"
down_revision = "31b1c0de0010"


def upgrade():
    op.execute('UPDATE member SET badge = "gold" WHERE badge = "none" AND score > 90')
    op.execute('UPDATE member SET badge = "silver", note = "promoted" WHERE badge IN ("none", "")')
    op.execute('UPDATE member SET note = CONCAT(note, " (moved)") WHERE mail LIKE "%@old.example"')
    op.execute(
        'UPDATE member SET note = REPLACE(note, "\\t", " "), badge = IF(score > 50, "a", "b")'
    )
    op.execute('INSERT INTO contact (member_id, mail) VALUES (0, "nobody"), (1, "admin")')
    op.execute('INSERT INTO contact VALUES (2, "robot", "2020-01-01")')
    op.execute(
        'INSERT INTO contact (member_id, mail) VALUES (3, "x") ON DUPLICATE KEY UPDATE mail = "x"'
    )
    op.execute('INSERT INTO contact SET member_id = 4, mail = "bot"')
    op.execute('DELETE FROM contact WHERE mail = "" OR mail IS NULL')
    op.execute('SELECT id AS "member id", "constant" FROM member WHERE name <> "x" ORDER BY id')
    op.execute(
        'UPDATE member SET joined = STR_TO_DATE(joined_text, "%Y-%m-%d") '
        'WHERE EXTRACT(YEAR FROM "2020-01-01") < 2030 AND TRIM(" " FROM name) <> ""'
    )
    op.execute(
        'ALTER TABLE member ADD COLUMN tier ENUM("basic", "plus") NOT NULL DEFAULT "basic" '
        'COMMENT "the member\'s plan"'
    )
    op.execute('ALTER TABLE member COMMENT = "people who signed up"')
    op.execute('CREATE TABLE tag (id INT PRIMARY KEY, label VARCHAR(20) DEFAULT "new")')
    op.execute("UPDATE member SET note = 'said \"hi\"' WHERE id = 1")
    op.execute('SET NAMES "utf8mb4"')
    op.execute('UPDATE member SET note = JSON_UNQUOTE(JSON_EXTRACT(data, "$.note"))')
    conn = op.get_bind()
    conn.execute(sa.text('UPDATE member SET badge = "none" WHERE badge IS NULL'))
    conn.execute(
        sa.text(
            "UPDATE member SET note = (SELECT mail FROM contact c WHERE c.member_id = member.id)"
        )
    )


def downgrade():
    op.execute('UPDATE member SET badge = "none" WHERE badge IN ("gold", "silver")')
    op.execute("DROP TABLE tag")
    op.execute("ALTER TABLE member DROP COLUMN tier")

"""moves member mail to contact with names quoted the PostgreSQL way

Revision ID: 31b1c0de0010
Revises: 31b1c0de0002
"""

import sqlalchemy as sa
from alembic import op

revision = "31b1c0de0010"
down_revision = "31b1c0de0002"


def upgrade():
    op.execute('ALTER TABLE "member" ADD COLUMN nickname VARCHAR(40)')
    op.execute('ALTER TABLE member ADD COLUMN "badge" VARCHAR(20) DEFAULT "none"')
    op.execute('UPDATE "member" SET nickname = name WHERE nickname IS NULL')
    op.execute('UPDATE member SET "nickname" = name, badge = "gold" WHERE score > 90')
    op.execute('INSERT INTO "contact" (member_id, mail) SELECT id, mail FROM member')
    op.execute('INSERT INTO contact ("member_id", "mail") VALUES (0, "nobody")')
    op.execute('DELETE FROM "contact" WHERE mail IS NULL')
    op.execute('DELETE FROM contact WHERE member_id IN (SELECT id FROM "member" WHERE gone)')
    op.execute('UPDATE contact c JOIN "member" m ON m.id = c.member_id SET c.mail = m.mail')
    op.execute('CREATE INDEX ix_contact_mail ON "contact" (mail)')
    op.execute('CREATE UNIQUE INDEX uq_member_nickname ON member ("nickname")')
    op.execute(  # the key's name in double quotes
        'ALTER TABLE member ADD CONSTRAINT "fk_member_contact" '
        "FOREIGN KEY (contact_id) REFERENCES contact (id)"
    )
    op.execute('UPDATE member SET badge = "silver" WHERE "member".score > 50')
    conn = op.get_bind()
    conn.execute(sa.text('ALTER TABLE member RENAME COLUMN mail TO "old_mail"'))
    conn.execute(sa.text('CREATE TABLE audit ("id" INTEGER PRIMARY KEY, note TEXT)'))


def downgrade():
    op.execute('DROP TABLE IF EXISTS "audit"')
    op.execute("ALTER TABLE member RENAME COLUMN old_mail TO mail")
    op.execute("ALTER TABLE member DROP FOREIGN KEY fk_member_contact")
    op.execute("DROP INDEX uq_member_nickname ON member")
    op.execute('DROP INDEX "ix_contact_mail" ON contact')
    op.execute('ALTER TABLE member DROP COLUMN badge, DROP COLUMN "nickname"')

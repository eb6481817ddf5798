"""Branches by design: a core history and a plugin's labelled branch in a second version location.

Alembic keeps such heads apart on purpose (`branch_labels`): they need no merge. `heads` says
two heads and exits 0, as Alembic's own `ScriptDirectory.get_heads()` computed in the same test
lists them; `upgrade` and `migrate` name the branches instead of asking for a merge, and take
one (`upgrade core@head`, `migrate --head core@head`) as Alembic does. `ci` judges only the
revisions a pull request adds to the repository: a version location outside it (an installed
plugin's) is the same on every ref.
"""

from __future__ import annotations

from pathlib import Path

from conftest import git, run_cli

from alembic_sentinel.graph import revision_changes
from alembic_sentinel.settings import resolve_settings

MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("account", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("name", sa.String(40), nullable=True))
sa.Table("plugin_setting", metadata, sa.Column("id", sa.Integer, primary_key=True))
#EXTRA#
"""


def revision(rev: str, down: str | None, body: str, labels: str = "None") -> str:
    return f'''"""r {rev}

Revision ID: {rev}
Revises: {down or ""}
"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down!r}
branch_labels = {labels}
depends_on = None


def upgrade():
{body}


def downgrade():
    pass
'''


ACCOUNT = '    op.create_table("account", sa.Column("id", sa.Integer(), primary_key=True))'
NAME = '    op.add_column("account", sa.Column("name", sa.String(length=40), nullable=True))'
SETTING = '    op.create_table("plugin_setting", sa.Column("id", sa.Integer(), primary_key=True))'


def make_project(root: Path, plugin_versions: Path) -> None:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    plugin_versions.mkdir(parents=True, exist_ok=True)
    (root / "models.py").write_text(MODELS.replace("#EXTRA#", ""))
    (root / "migrations" / "script.py.mako").write_text(
        (Path(__file__).parents[1] / "migrations" / "script.py.mako").read_text()
    )
    (versions / "c0de00000001_account.py").write_text(
        revision("c0de00000001", None, ACCOUNT, '("core",)')
    )
    (versions / "c0de00000002_name.py").write_text(revision("c0de00000002", "c0de00000001", NAME))
    (plugin_versions / "91a900000001_setting.py").write_text(
        revision("91a900000001", None, SETTING, '("plugin",)')
    )
    (root / "pyproject.toml").write_text(
        "[tool.alembic-sentinel]\n"
        'metadata = "models:metadata"\n'
        f'version-locations = ["migrations/versions", "{plugin_versions}"]\n'
    )


def alembic_heads(root: Path, plugin_versions: Path) -> set[str]:
    """Alembic's own answer, on the same files."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(root / "migrations"))
    config.set_main_option(
        "version_locations", f"{root / 'migrations' / 'versions'},{plugin_versions}"
    )
    return set(ScriptDirectory.from_config(config).get_heads())


def test_independent_labelled_branches(tmp_path: Path, database_url: str) -> None:
    root, plugin = tmp_path / "app", tmp_path / "app" / "plugins" / "versions"
    make_project(root, plugin)
    url = database_url

    heads = run_cli(root, "heads")
    assert heads.code == 0, heads.output
    assert {"c0de00000002", "91a900000001"} == alembic_heads(root, plugin)
    assert "c0de00000002" in heads.out and "91a900000001" in heads.out

    upgraded = run_cli(root, "upgrade", "--url", url)
    assert upgraded.code == 1, upgraded.output
    assert "independent branches (core, plugin)" in upgraded.err
    assert "merge" not in upgraded.err
    assert run_cli(root, "upgrade", "core@head", "--url", url).code == 0
    assert run_cli(root, "upgrade", "heads", "--url", url).code == 0

    (root / "models.py").write_text(
        MODELS.replace(
            "#EXTRA#", 'sa.Table("audit", metadata, sa.Column("id", sa.Integer, primary_key=True))'
        )
    )
    refused = run_cli(root, "migrate", "-m", "audit", "--url", url)
    assert refused.code == 1, refused.output
    assert "--head LABEL@head" in refused.err and "merge" not in refused.err
    written = run_cli(root, "migrate", "-m", "audit", "--head", "core@head", "--url", url)
    assert written.code == 0, written.output
    (new_file,) = [
        path
        for path in (root / "migrations" / "versions").glob("*.py")
        if not path.name.startswith("c0de")
    ]
    assert "down_revision = 'c0de00000002'" in new_file.read_text() or (
        'down_revision = "c0de00000002"' in new_file.read_text()
    )
    assert len(alembic_heads(root, plugin)) == 2


def test_revisions_outside_the_repository_are_never_new(tmp_path: Path, git_isolated: None) -> None:
    """An installed plugin's version location, outside the repository: at the base ref it is
    what it is now, so a pull request adds only its own files."""
    root, plugin = tmp_path / "app", tmp_path / "site-packages" / "plugin" / "versions"
    make_project(root, plugin)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "core")
    git(root, "checkout", "-q", "-b", "feature")
    (root / "migrations" / "versions" / "c0de00000003_more.py").write_text(
        revision("c0de00000003", "c0de00000002", "    pass")
    )
    settings = resolve_settings(root=root, environ={}, database=False)
    from alembic_sentinel.graph.revision_check import ref_revisions, working_tree_revisions

    ours = working_tree_revisions(settings)
    theirs = ref_revisions(settings, "main", ours)
    assert "91a900000001" in {rev.revision for rev in theirs.read.revisions}
    changes = revision_changes.compare(
        ours.read,
        theirs.read,
        revision_changes.working_tree_digests(root, [r.path for r in ours.read.revisions]),
        revision_changes.ref_digests(root, "main", [r.path for r in theirs.read.revisions]),
    )
    assert [rev.revision for rev in changes.new] == ["c0de00000003"]
    assert changes.edited == []

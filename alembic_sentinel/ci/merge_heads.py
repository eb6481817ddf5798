"""`ci --mode merge-heads`: after a push left several heads, write, commit and push the merge.

For a workflow on `push` to the default branch: when two pull requests that each added a
revision were merged, the branch has two heads and the next `upgrade` fails. This writes the
merge revision (the same file `merge heads` writes), commits it with gitpython and either opens a
pull request from a new branch (default) or pushes it to the branch itself (`push: direct`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from alembic_sentinel.errors import ConfigError
from alembic_sentinel.report.model import Report
from alembic_sentinel.settings import Settings

if TYPE_CHECKING:
    from git import Repo

PUSH_MODES = ("pr", "direct")
BRANCH_PREFIX = "alembic-sentinel/merge-heads-"
# the identity GitHub shows for commits made with the workflow's GITHUB_TOKEN
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

# (head branch, base branch, title, body) -> the pull request's URL
OpenPullRequest = Callable[[str, str, str, str], str]


def merge_heads_on_push(
    settings: Settings,
    push: str,
    open_pull_request: OpenPullRequest | None,
    branch_hint: str | None = None,
) -> Report:
    """Merge the heads of the checked-out branch; a report whose facts say what was done."""
    from alembic_sentinel.graph.merge_revision import merge_parents, write_merge_revision
    from alembic_sentinel.graph.revision_check import working_tree_revisions

    if push not in PUSH_MODES:
        raise ConfigError(f"--push {push}: expected one of {', '.join(PUSH_MODES)}")
    revisions = working_tree_revisions(settings)
    heads = merge_parents(revisions, ["heads"])
    report = Report(
        "ci",
        facts={
            "mode": "merge-heads",
            "status": "passed",
            "migrations": settings.show(settings.migrations),
            "heads": list(heads),
        },
    )
    if len(heads) < 2:
        report.summary = [f"single head {', '.join(heads) or '(none)'}: nothing to merge"]
        return report

    from alembic_sentinel.graph import git_revisions

    repo = git_revisions.open_repo(settings.root)
    base = _current_branch(repo, branch_hint)
    path = write_merge_revision(settings, revisions, heads, "merge heads")
    shown = settings.show(path)
    message = f"Merge alembic heads {', '.join(heads)}"
    body = (
        f"The push to `{base}` left {len(heads)} alembic heads ({', '.join(heads)}): "
        f"`upgrade` would fail until they are merged. This adds `{shown}`, written by "
        "alembic-sentinel as `alembic merge heads` would write it."
    )
    branch = base if push == "direct" else f"{BRANCH_PREFIX}{repo.head.commit.hexsha[:7]}"
    if push != "direct":
        repo.git.checkout("-b", branch)
    _commit(repo, path, message)
    repo.git.push("origin", f"HEAD:refs/heads/{branch}")
    report.facts.update(merge_revision=shown, branch=branch, base=base)
    report.summary = [f"{len(heads)} heads ({', '.join(heads)}): wrote {shown}"]
    if push == "direct":
        report.summary.append(f"committed and pushed to {base}")
        return report
    report.summary.append(f"pushed branch {branch}")
    if open_pull_request is not None:
        url = open_pull_request(branch, base, message, body)
        report.facts["pull_request"] = url
        report.summary.append(f"opened {url}")
    return report


def _current_branch(repo: Repo, hint: str | None) -> str:
    try:
        return str(repo.active_branch.name)
    except TypeError:  # detached HEAD (some checkouts): the pushed branch's name from the runner
        if hint:
            return hint
        raise ConfigError(
            "merge-heads: HEAD is detached and GITHUB_REF_NAME is not set: check out the branch"
        ) from None


def _commit(repo: Repo, path: Path, message: str) -> None:
    from git import Actor

    repo.index.add([str(path)])
    bot = Actor(BOT_NAME, BOT_EMAIL)
    repo.index.commit(message, author=bot, committer=bot)

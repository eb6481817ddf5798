"""The Action with data, end to end (tests/action_runner.py, the real MariaDB, the GitHub stand-in):
a failure over the generated rows is annotated at its line and shown in the Data section of the
summary and the comment; the `data` input turns the rows off."""

from __future__ import annotations

import json
from pathlib import Path

import test_action_e2e as action_e2e
from conftest import HEAD
from github_stub import GitHubStub

# the fixtures of the Action's end-to-end tests, used here as they are
checkout = action_e2e.checkout
github = action_e2e.github
server_url_with_password = action_e2e.server_url_with_password

UNIQUE_NAMES = "da7a0000beef"


def add_unique_election_names(project: Path) -> Path:
    """The model's election names become unique, and a revision makes them so."""
    model = project / "orm" / "election.py"
    source = model.read_text()
    plain = "electionName = Column(String(100), nullable=False)"
    assert plain in source, "reference model changed: update add_unique_election_names"
    model.write_text(source.replace(plain, plain[:-1] + ", unique=True)"))
    return action_e2e.write_revision(
        project,
        UNIQUE_NAMES,
        HEAD,
        "unique election names",
        'op.create_unique_constraint("uq_election_electionName", "election", ["electionName"])',
        'op.drop_constraint("uq_election_electionName", "election", type_="unique")',
    )


def test_a_unique_constraint_over_duplicates_fails_the_job_at_its_line(
    checkout: action_e2e.Checkout,
    github: GitHubStub,
    server_url_with_password: str,
    tmp_path: Path,
) -> None:
    path = add_unique_election_names(checkout.root)
    action_e2e.open_pull_request(checkout, "unique election names")

    run = action_e2e.runner(checkout, github, tmp_path)
    result = action_e2e.run_action(run, server_url_with_password)

    assert result.failed
    assert result.outputs["status"] == "failed"
    (annotation,) = [c for c in result.annotations("error") if "C502" in c.properties["title"]]
    assert annotation.properties["file"] == f"migrations/versions/{path.name}"
    assert annotation.properties["line"] == str(action_e2e.line_of(path, "op.create_unique"))
    assert "failed over the generated rows: unique key over duplicates" in annotation.message
    assert "(1062) Duplicate entry '" in annotation.message
    assert "| Upgrade over generated rows | ❌ | 200 rows in 4 tables; " in result.summary
    assert "### Data" in result.summary
    (comment,) = github.comments(action_e2e.PULL)
    assert "unique key over duplicates" in comment["body"]
    report = json.loads(Path(result.outputs["report-path"]).read_text())
    assert report["data"]["filled"] is True
    assert report["data"]["revisions"][-1]["problem"] == "unique key over duplicates"
    action_e2e.assert_safe_log(result, github)


def test_the_data_input_turns_the_rows_off(
    checkout: action_e2e.Checkout,
    github: GitHubStub,
    server_url_with_password: str,
    tmp_path: Path,
) -> None:
    add_unique_election_names(checkout.root)
    action_e2e.open_pull_request(checkout, "unique election names")

    run = action_e2e.runner(checkout, github, tmp_path)
    result = action_e2e.run_action(run, server_url_with_password, data="false")

    assert not result.failed, result.log
    assert result.outputs["status"] == "passed"
    skipped = "\N{HEAVY MINUS SIGN}"
    assert f"| Upgrade over generated rows | {skipped} | turned off (--no-data) |" in result.summary
    assert "### Data" not in result.summary
    report = json.loads(Path(result.outputs["report-path"]).read_text())
    assert report["data"]["enabled"] is False and report["data"]["tables"] == []
    action_e2e.assert_safe_log(result, github)

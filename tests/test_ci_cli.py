"""`alembic-sentinel ci` outside GitHub Actions: options, outputs, errors (SQLite scratch)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import OFF_ACTIONS, run_cli

from alembic_sentinel.ci.commands import (
    NOT_ON_GITHUB,
    REPORT_NAME,
    SKIPPED_WITHOUT_BASE,
    resolve_request,
    secrets,
)
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.settings import Overrides, resolve_settings


def test_flags_beat_variables_beat_defaults(tmp_path: Path) -> None:
    environ = {
        "SENTINEL_CI_FAIL_ON": "warning",
        "SENTINEL_CI_BASE_REF": "origin/develop",
        "SENTINEL_CI_WAIT": "5",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_BASE_REF": "main",
        "RUNNER_TEMP": str(tmp_path),
    }
    request = resolve_request({"fail_on": "never"}, environ, tmp_path)

    assert request.fail_on == "never"
    assert request.base_ref == "origin/develop"
    assert request.wait == 5.0
    assert request.comment is True  # a pull request event
    assert request.report_path == tmp_path / REPORT_NAME
    assert request.mode == "check"


def test_the_pull_requests_base_is_the_default_base(tmp_path: Path) -> None:
    environ = {"GITHUB_EVENT_NAME": "pull_request_target", "GITHUB_BASE_REF": "main"}

    request = resolve_request({}, environ, tmp_path)

    assert request.base_ref == "origin/main"
    assert request.fmt == "text"  # not on GitHub Actions
    assert request.report_path is None  # off GitHub Actions: only with --report


def test_on_actions_the_report_goes_to_the_runners_temp_never_the_work_tree(
    tmp_path: Path,
) -> None:
    runner_temp = tmp_path / "runner-temp"
    on_actions = {"GITHUB_ACTIONS": "true", "RUNNER_TEMP": str(runner_temp)}

    assert resolve_request({}, on_actions, tmp_path).report_path == runner_temp / REPORT_NAME
    given = resolve_request({"report": "out/r.json"}, on_actions, tmp_path)
    assert given.report_path == tmp_path / "out" / "r.json"


def test_without_report_no_file_is_written(project: Path) -> None:
    env = {**OFF_ACTIONS, "ENV_CONFIG": "./env/test.cfg"}

    result = run_cli(project, "ci", env=env)

    assert result.code == 0, result.output
    assert "ci: passed (0 findings)\n" in result.out
    assert not list(project.rglob("*report*.json"))


def test_every_spelling_of_the_password_and_the_token_is_a_secret(project: Path) -> None:
    written = "p%40ss%20w%25rd%2b"  # as a user percent-encodes "p@ss w%rd+" in a URL
    url = f"mysql+pymysql://ci:{written}@db:3306/app"
    settings = resolve_settings(Overrides(url=url), environ={}, root=project)
    request = resolve_request({"database_url": url}, {}, project)

    hidden = secrets(request, settings, "ghs_token")

    for spelling in (
        written,
        "p@ss w%rd+",
        "p%40ss+w%25rd%2B",  # quote_plus, as a query string shows it
        "p%40ss%20w%25rd%2B",  # quote, as a URL path shows it
        "ghs_token",
    ):
        assert spelling in hidden


def test_a_push_has_no_base_and_no_comment(tmp_path: Path) -> None:
    request = resolve_request({}, {"GITHUB_EVENT_NAME": "push"}, tmp_path)

    assert (request.base_ref, request.comment) == (None, False)


@pytest.mark.parametrize(
    ("flags", "environ", "message"),
    [
        ({}, {"SENTINEL_CI_MODE": "deploy"}, "SENTINEL_CI_MODE: 'deploy' is not one of check"),
        ({"fail_on": "sometimes"}, {}, "--fail-on: 'sometimes' is not one of error"),
        ({}, {"SENTINEL_CI_WAIT": "soon"}, "SENTINEL_CI_WAIT / --wait: 'soon' is not a number"),
    ],
)
def test_bad_options_name_their_source(
    tmp_path: Path, flags: dict[str, object], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        resolve_request(flags, environ, tmp_path)

    assert str(raised.value.message).startswith(message)


def test_ci_on_the_reference_app_writes_the_report_and_prints_text(project: Path) -> None:
    env = {**OFF_ACTIONS, "ENV_CONFIG": "./env/test.cfg"}

    result = run_cli(project, "ci", "--report", "out/report.json", env=env)

    assert result.code == 0, result.output
    assert f"ci: passed (0 findings); report: {project}/out/report.json\n" in result.out
    # no base: the text says what could not be checked
    assert result.out.endswith(f"ci: {SKIPPED_WITHOUT_BASE}\n")
    assert "the new revisions' round trips, lint, SQL and data runs" in SKIPPED_WITHOUT_BASE
    report = json.loads((project / "out" / "report.json").read_text())
    assert report["command"] == "ci"
    assert report["status"] == "passed"
    assert report["new_revisions"] == []  # no base: nothing is new
    assert [step["revision"] for step in report["upgrade"]["base_head_to_head"]][-1] == (
        "e5a9c3f7d812"
    )
    assert "[ci] passed" in result.err  # progress goes to stderr
    assert not (project / "out" / "report.json.partial").exists()


def test_ci_markdown_format_prints_the_comment_text(project: Path) -> None:
    env = {**OFF_ACTIONS, "ENV_CONFIG": "./env/test.cfg", "SENTINEL_CI_FORMAT": "markdown"}

    result = run_cli(project, "ci", env=env)

    assert result.code == 0, result.output
    assert result.out.startswith("## ✅ alembic-sentinel: passed")
    assert "::" not in result.out  # no workflow commands off GitHub Actions


def test_bad_wait_is_a_one_line_usage_error(project: Path) -> None:
    result = run_cli(project, "ci", "--wait", "later", env=OFF_ACTIONS)

    assert result.code == 2
    assert result.err == (
        "alembic-sentinel: error: SENTINEL_CI_WAIT / --wait: 'later' is not a number\n"
    )


def test_comment_outside_github_actions_says_why_nothing_was_posted(project: Path) -> None:
    env = {**OFF_ACTIONS, "ENV_CONFIG": "./env/test.cfg"}

    result = run_cli(project, "ci", "--comment", env=env)

    assert result.code == 0, result.output
    assert f"ci: {NOT_ON_GITHUB}\n" in result.err
    assert "not running in GitHub Actions" in NOT_ON_GITHUB
    without = run_cli(project, "ci", env=env)
    assert "--comment" not in without.output


@pytest.mark.parametrize(("fmt", "expected"), [("text", "ci: passed"), ("markdown", "## ✅")])
def test_output_writes_the_report_in_its_format_to_a_file(
    project: Path, fmt: str, expected: str
) -> None:
    env = {**OFF_ACTIONS, "ENV_CONFIG": "./env/test.cfg"}

    result = run_cli(project, "ci", "--format", fmt, "--output", "out/report.txt", env=env)

    assert result.code == 0, result.output
    written = (project / "out" / "report.txt").read_text()
    assert expected in written
    assert expected not in result.out
    assert result.out == f"ci: wrote the {fmt} report to {project}/out/report.txt\n"
    assert not (project / "out" / "report.txt.partial").exists()

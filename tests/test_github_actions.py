"""The runner side of the Action: its environment, GITHUB_OUTPUT, the summary, workflow commands."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from alembic_sentinel.ci.github_actions import (
    RunnerLog,
    annotation_commands,
    append_summary,
    mask,
    neutralise_commands,
    output_commands,
    read_env,
    warning_command,
    write_outputs,
)
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding


def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIM` heredocs."""
    outputs: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            value = []
            for body in lines:
                if body == delimiter:
                    break
                value.append(body)
            else:
                raise AssertionError(f"unterminated heredoc for {name}")
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_text = line.split("=", 1)
            outputs[name] = value_text
    return outputs


def pull_request_event(tmp_path: Path, number: int = 42) -> Path:
    event = {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "base": {"ref": "main", "sha": "a" * 40},
            "head": {"ref": "feature", "sha": "b" * 40},
        },
        "repository": {"full_name": "octo/app"},
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def test_a_pull_request_run_is_read_from_the_env_and_the_event_file(tmp_path: Path) -> None:
    environ = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(pull_request_event(tmp_path)),
        "GITHUB_REPOSITORY": "octo/app",
        "GITHUB_API_URL": "https://ghes.example.com/api/v3/",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "GITHUB_BASE_REF": "main",
        "GITHUB_REF_NAME": "42/merge",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_TOKEN": "ghs_secret",
    }
    env = read_env(environ)

    assert env.is_actions and env.is_pull_request
    assert env.pull_number == 42
    assert env.event["pull_request"]["base"]["ref"] == "main"
    assert env.api_url == "https://ghes.example.com/api/v3"
    assert env.server_url == "https://github.com"
    assert (env.repository, env.base_ref, env.ref_name) == ("octo/app", "main", "42/merge")
    assert env.output_path == str(tmp_path / "output")
    assert env.summary_path == str(tmp_path / "summary")
    assert env.token == "ghs_secret"
    assert "ghs_secret" not in repr(env)


def test_outside_actions_everything_has_a_default() -> None:
    env = read_env({})
    assert not env.is_actions and not env.is_pull_request
    assert env.event == {} and env.pull_number is None
    assert env.api_url == "https://api.github.com"
    assert env.output_path is None and env.summary_path is None


def test_a_push_event_or_a_broken_event_file_has_no_pull_number(tmp_path: Path) -> None:
    push = tmp_path / "push.json"
    push.write_text(json.dumps({"ref": "refs/heads/main", "after": "c" * 40}), encoding="utf-8")
    env = read_env({"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(push)})
    assert env.event["ref"] == "refs/heads/main" and env.pull_number is None

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert read_env({"GITHUB_EVENT_PATH": str(broken)}).event == {}
    assert read_env({"GITHUB_EVENT_PATH": str(tmp_path / "missing.json")}).event == {}


def test_outputs_are_written_as_heredocs_the_runner_parses_back(tmp_path: Path) -> None:
    path = tmp_path / "output"
    path.write_text("earlier=kept\n", encoding="utf-8")
    outputs = {
        "status": "failed",
        "heads": "abc,def",
        "new-revisions": "",
        "report-path": "/tmp/report.json",
        "tricky": "two\nlines\nstatus=passed\nEOF",
    }
    write_outputs(path, outputs)

    text = path.read_text(encoding="utf-8")
    assert parse_output_file(text) == {"earlier": "kept", **outputs}
    assert text.count("status<<ghadelimiter_") == 1


def test_the_delimiter_never_occurs_in_the_value() -> None:
    delimiters = iter(["EOF", "EOF", "X1"])
    text = output_commands({"value": "a\nEOF\nb"}, new_delimiter=lambda: next(delimiters))
    assert text == "value<<X1\na\nEOF\nb\nX1\n"


def test_random_delimiters_differ_between_outputs() -> None:
    text = output_commands({"a": "1", "b": "2"})
    delimiters = [line.split("<<")[1] for line in text.splitlines() if "<<" in line]
    assert len(set(delimiters)) == 2


def test_the_summary_is_appended(tmp_path: Path) -> None:
    path = tmp_path / "summary"
    append_summary(path, "## first")
    append_summary(path, "## second\n")
    assert path.read_text(encoding="utf-8") == "## first\n\n## second\n\n"


WHERE = "file=migrations/versions/a.py"
TITLE = "title=L301 add-column-not-null"


def finding(severity: str, index: int, path: str | None = "migrations/versions/a.py") -> Finding:
    return Finding(
        "L301", "add-column-not-null", severity, f"problem {index}", path, index, "fix it"
    )


def test_annotations_are_capped_per_severity_with_a_closing_notice() -> None:
    findings = (
        [finding(ERROR, i) for i in range(13)]
        + [finding(WARNING, i) for i in range(4)]
        + [finding(NOTICE, i) for i in range(11)]
        + [finding(ERROR, 99, path=None)]
    )
    lines = annotation_commands(findings)

    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 4
    assert sum(line.startswith("::notice ") for line in lines) == 10
    assert lines[-1] == "::notice::4 more findings in the step summary"
    assert lines[1] == f"::error {WHERE},line=1,{TITLE}::problem 1 (fix: fix it)"


def test_annotations_escape_the_workflow_command_syntax() -> None:
    hostile = Finding("L301", "x", ERROR, "50%\n::error::forged", "dir,a:b.py", 3)
    (line,) = annotation_commands([hostile])
    assert line == "::error file=dir%2Ca%3Ab.py,line=3,title=L301 x::50%25%0A::error::forged"


def test_no_closing_notice_when_nothing_is_left_out() -> None:
    assert annotation_commands([finding(ERROR, 1)], per_severity=1) == [
        f"::error {WHERE},line=1,{TITLE}::problem 1 (fix: fix it)"
    ]
    assert annotation_commands([]) == []


def test_masking_skips_empty_values_and_covers_each_line() -> None:
    assert mask("s3cr%t") == "::add-mask::s3cr%25t"
    assert mask("") == ""
    assert mask("line1\nline2\n") == "::add-mask::line1\n::add-mask::line2"


def test_a_secret_is_masked_line_by_line_where_the_runner_cuts_lines() -> None:
    assert mask("one\rtwo\r\nthree") == ("::add-mask::one\n::add-mask::two\n::add-mask::three")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("::error::forged\n", "> ::error::forged\n"),
        ("  \t::warning file=a.py::x", "> " + "  \t::warning file=a.py::x"),
        ("\u200b::error::zero width first", "> \u200b::error::zero width first"),
        ("ok\r::error::after a carriage return\r\n", "ok\r> ::error::after a carriage return\r\n"),
        ("text ##[error]legacy, anywhere", "> text ##\u200b[error]legacy, anywhere"),
        ("a ::b:: c\nSELECT x::int\n", "a ::b:: c\nSELECT x::int\n"),
        ("", ""),
    ],
)
def test_command_like_lines_of_untrusted_text_are_quoted(text: str, shown: str) -> None:
    assert neutralise_commands(text) == shown


def test_a_line_written_in_pieces_is_judged_whole() -> None:
    out, err = io.StringIO(), io.StringIO()
    log = RunnerLog(out, err, new_token=iter(["t1", "t2"]).__next__)

    log.stderr.write("  ")
    log.stderr.flush()
    log.stderr.write(":")
    print(":error::forged", file=log.stderr)
    log.stdout.write("partial ::")
    log.finish()

    assert err.getvalue() == ">   ::error::forged\n"
    assert out.getvalue() == "::stop-commands::t1\npartial ::\n"


def test_our_commands_are_written_between_a_resume_and_a_fresh_stop() -> None:
    out = io.StringIO()
    tokens = iter(["first", "second"])
    log = RunnerLog(out, io.StringIO(), new_token=lambda: next(tokens))

    print("::error::from a revision", file=log.stdout)
    log.stdout.write("no newline yet")
    log.commands([warning_command("100% broken\n::error::forged")])

    assert out.getvalue().splitlines() == [
        "::stop-commands::first",
        "> ::error::from a revision",
        "no newline yet",
        "::first::",
        "::warning::100%25 broken%0A::error::forged",
        "::stop-commands::second",
    ]


def test_stop_tokens_are_random() -> None:
    first, second = io.StringIO(), io.StringIO()
    RunnerLog(first, io.StringIO())
    RunnerLog(second, io.StringIO())
    assert first.getvalue() != second.getvalue()
    assert len(first.getvalue().strip().removeprefix("::stop-commands::")) == 32

"""The runner harness reads what a runner reads and refuses what it cannot evaluate faithfully."""

from __future__ import annotations

from pathlib import Path

import pytest
from action_runner import (
    ActionRunner,
    UnsupportedExpression,
    evaluate_condition,
    evaluate_template,
    parse_commands,
    parse_file_command,
)

CONTEXTS = {
    "inputs": {"mode": "check", "comment": "true", "empty": ""},
    "github": {"token": "tok"},
    "runner": {"temp": "/tmp/r"},
    "steps": {"ci": {"outputs": {"status": "failed"}}},
    "env": {},
    "job_failed": False,
}


def test_output_file_lines_and_heredocs() -> None:
    text = "a=1\nb<<EOF_1\nline one\nline=two\nEOF_1\nc=x=y\n"
    assert parse_file_command(text) == {"a": "1", "b": "line one\nline=two", "c": "x=y"}


def test_an_unclosed_heredoc_is_an_error() -> None:
    with pytest.raises(AssertionError, match="never closed"):
        parse_file_command("b<<EOF\nvalue\n")


def test_workflow_commands_are_unescaped() -> None:
    (command,) = parse_commands(
        "plain line\n::error file=a%2Cb.py,line=3,title=C502 upgrade%3A failed::50%25%0Anext\n",
        "step",
    )
    assert command.command == "error"
    assert command.properties == {"file": "a,b.py", "line": "3", "title": "C502 upgrade: failed"}
    assert command.message == "50%\nnext"


@pytest.mark.parametrize(
    ("template", "value"),
    [
        ("${{ inputs.mode }}", "check"),
        ("x-${{ github.token }}-${{ runner.temp }}", "x-tok-/tmp/r"),
        ("${{ steps.ci.outputs.status }}", "failed"),
        ("${{ steps.ci.outputs.missing }}", ""),
        ("${{ inputs.mode == 'CHECK' }}", "true"),
    ],
)
def test_templates(template: str, value: str) -> None:
    assert evaluate_template(template, CONTEXTS) == value


@pytest.mark.parametrize(
    ("condition", "value"),
    [
        ("inputs.comment == 'true'", True),
        ("${{ inputs.mode != 'check' }}", False),
        ("inputs.empty", False),
        ("always()", True),
        ("failure() || inputs.mode == 'check'", True),
    ],
)
def test_conditions(condition: str, value: bool) -> None:
    assert bool(evaluate_condition(condition, CONTEXTS)) is value


@pytest.mark.parametrize(
    "template",
    [
        "${{ secrets.TOKEN }}",
        "${{ inputs.no-such-input }}",
        "${{ github.sha }}",
        "${{ format('{0}', inputs.mode) }}",
        "${{ inputs.mode[0] }}",
    ],
)
def test_anything_else_fails_loudly(template: str) -> None:
    with pytest.raises(UnsupportedExpression):
        evaluate_template(template, CONTEXTS)


def write_action(root: Path, steps: str) -> None:
    (root / "action.yml").write_text(
        "name: t\ndescription: t\n"
        "inputs:\n  who:\n    description: d\n    default: ${{ github.token }}\n"
        "outputs:\n  said:\n    description: d\n    value: ${{ steps.say.outputs.said }}\n"
        f"runs:\n  using: composite\n  steps:\n{steps}"
    )


def make_runner(tmp_path: Path) -> ActionRunner:
    return ActionRunner(
        action_path=tmp_path,
        workspace=tmp_path,
        temp=tmp_path / "temp",
        env={"PATH": "/usr/bin:/bin"},
        api_url="http://127.0.0.1:9",
        token="tok",
    )


def test_steps_run_in_order_with_env_outputs_and_a_failure_skipping_the_rest(
    tmp_path: Path,
) -> None:
    write_action(
        tmp_path,
        "    - id: say\n      shell: bash\n      env:\n        WHO: ${{ inputs.who }}\n"
        '      run: |\n        echo "said=hi $WHO" >> "$GITHUB_OUTPUT"\n'
        '        echo "# hello" >> "$GITHUB_STEP_SUMMARY"\n        echo "::notice::hi"\n'
        "    - id: boom\n      shell: bash\n      run: exit 3\n"
        "    - id: never\n      shell: bash\n      run: echo never\n",
    )
    result = make_runner(tmp_path).run()
    assert [s.outcome for s in result.steps] == ["success", "failure", "skipped"]
    assert result.step("boom").code == 3
    assert result.outputs == {"said": "hi tok"}
    assert result.summary == "# hello\n"
    assert [c.message for c in result.annotations("notice")] == ["hi"]


def test_an_expression_inside_run_is_refused(tmp_path: Path) -> None:
    write_action(tmp_path, "    - id: say\n      shell: bash\n      run: echo ${{ inputs.who }}\n")
    with pytest.raises(UnsupportedExpression, match="script injection"):
        make_runner(tmp_path).run()

"""The CLI's help reads like documentation: every verb has a description, an example and help
for every argument; the settings options are described once and listed in one line elsewhere."""

from __future__ import annotations

import argparse
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SETTINGS_ENV_VARS, add_two_branch_heads, run_cli

from alembic_sentinel import cli

PARSER, VERB_PARSERS = cli.build_parsers()
SETTINGS_FLAGS = ("--config", "--url", "--migrations", "--metadata", "--run-env-py")


def help_of(*argv: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        cli.main([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_every_verb_of_the_table_has_a_parser_and_the_reverse() -> None:
    assert sorted(VERB_PARSERS) == sorted(cli.VERBS)


@pytest.mark.parametrize("verb", sorted(cli.VERBS))
def test_every_verb_has_a_description_an_example_and_the_settings_line(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_of(verb, capsys=capsys)
    description = text.split("\n\n")[1]
    assert description.strip(), text
    example = text.split("example:\n", 1)[1].splitlines()[0]
    assert f"alembic-sentinel {verb}" in example
    if verb == "settings":
        # the one place the settings options are described
        assert "ENV_CONFIG file (Flask-style .cfg) with the database" in text
    else:
        assert f"settings: {cli.SETTINGS_OPTIONS}" in text
        assert "Flask-style" not in text


@pytest.mark.parametrize("verb", sorted(cli.VERBS))
def test_every_argument_of_every_verb_has_help(verb: str) -> None:
    missing = [
        action.dest
        for action in VERB_PARSERS[verb]._actions
        if not action.help and action.option_strings[:1] != ["-h"]
    ]
    assert missing == []
    # the shared settings are accepted by every verb, described only under `settings`
    settings = [a for a in VERB_PARSERS[verb]._actions if a.option_strings[:1] == ["--config"]]
    assert len(settings) == 1
    assert (settings[0].help == argparse.SUPPRESS) == (verb != "settings")


def test_the_overview_lists_the_settings_in_one_line_and_points_to_their_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of(capsys=capsys)
    assert f"settings: {cli.SETTINGS_OPTIONS}" in text
    assert "alembic-sentinel help settings" in text
    assert "Flask-style" not in text
    for verb, (summary, _) in cli.VERBS.items():
        assert verb in text
        assert summary.split()[0] in text


def test_help_verb_prints_the_help_of_a_verb_or_of_the_settings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["help", "upgrade"]) == 0
    assert capsys.readouterr().out == VERB_PARSERS["upgrade"].format_help()
    assert cli.main(["help", "settings"]) == 0
    settings_help = capsys.readouterr().out
    for flag in SETTINGS_FLAGS:
        assert flag in settings_help
    assert "SENTINEL_DATABASE_URL" in settings_help
    assert cli.main(["help"]) == 0
    assert capsys.readouterr().out == PARSER.format_help()


def test_help_help_describes_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["help", "help"]) == 0
    assert capsys.readouterr().out == VERB_PARSERS["help"].format_help()


@pytest.mark.parametrize(
    "argv",
    [
        ["heads", "--format", "json"],
        ["--migrations", "migrations", "heads"],
        ["--url", "graph", "heads", "--format", "json"],  # a verb's name as an option's value
        ["lint", "--explain", "L301"],
        ["upgrade", "+1", "--url", "sqlite://"],
    ],
)
def test_a_verb_parsed_alone_gives_what_the_whole_parser_gives(argv: list[str]) -> None:
    assert vars(cli.parse_arguments(argv)) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["nonsense", "heads"],  # the first positional is not a verb
        ["heads", "--format", "yaml"],  # a bad choice of the verb's own option
        ["heads", "--nonsense"],  # an option nobody knows
        ["--url", "lint", "heads", "graph"],  # another verb where the verb's own words go
        ["downgrade"],  # a required positional missing
        ["rebase"],  # a required option missing
        ["heads", "--run-env-py=yes"],  # an option that takes no value given one
    ],
)
def test_a_verb_parsed_alone_errs_as_the_whole_parser_does(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The one-verb parser never speaks: every error is the whole parser's, usage line and all."""
    with pytest.raises(SystemExit) as whole:
        cli.build_parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as alone:
        cli.parse_arguments(argv)
    assert (alone.value.code, capsys.readouterr()) == (whole.value.code, expected)
    assert whole.value.code == 2 and expected.err.startswith("usage: alembic-sentinel")


def test_help_of_an_unknown_verb_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["help", "nonsense"])
    assert exited.value.code == 2
    assert "invalid choice: 'nonsense'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["upgrade", "--help"], ["help", "settings"]])
def test_python_m_and_the_console_script_print_the_same(tmp_path: Path, argv: list[str]) -> None:
    script = Path(sys.executable).parent / "alembic-sentinel"
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env["COLUMNS"] = "100"
    module = subprocess.run(
        [sys.executable, "-m", "alembic_sentinel", *argv], cwd=tmp_path, env=env,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    console = subprocess.run(
        [str(script), *argv], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert module.stdout == console.stdout
    assert module.stdout.startswith("usage: alembic-sentinel")


def on_a_terminal(project: Path, *argv: str, no_color: bool) -> bytes:
    """The output of `python -m alembic_sentinel ARGV` run on a pseudo-terminal."""
    env = {k: v for k, v in os.environ.items() if k not in (*SETTINGS_ENV_VARS, "NO_COLOR")}
    if no_color:
        env["NO_COLOR"] = "1"
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "alembic_sentinel", *argv],
        cwd=project, env=env, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary,
    )  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    process.wait(timeout=60)
    return b"".join(chunks)


def test_colour_only_on_a_terminal_and_never_with_no_color(project: Path) -> None:
    add_two_branch_heads(project)
    assert b"\033[31merror\033[0m" in on_a_terminal(project, "heads", no_color=False)
    plain = on_a_terminal(project, "heads", no_color=True)
    assert b"error: G101" in plain
    assert b"\033[" not in plain
    assert "\033[" not in run_cli(project, "heads").out  # a pipe


def test_the_demo_script_makes_headings_bold_only_on_a_terminal() -> None:
    script = (REPO / "demo" / "demo.sh").read_text()
    heading = script[script.index("if [ -t 1 ]") : script.index("\nstep()")]
    step = script[script.index("step()") :].split("\n", 1)[0]
    probe = f"{heading}\n{step}\nstep 'A heading' 'a command'\n"
    piped = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    assert piped.stdout == "\n== A heading\n$ a command\n"

"""Run the composite action in action.yml the way a GitHub runner does, for the end-to-end tests.

`ActionRunner.run(inputs)` reads action.yml, fills in the inputs' defaults, and executes each
composite step in order with `bash --noprofile --norc -eo pipefail FILE` (GitHub's `shell: bash`),
in a runner-like environment: GITHUB_ACTIONS, the event (GITHUB_EVENT_NAME / GITHUB_EVENT_PATH),
a fresh GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_ENV file per step, GITHUB_ACTION_PATH,
GITHUB_API_URL, GITHUB_WORKSPACE, RUNNER_TEMP and the rest. Only the expression forms the action
uses are understood (`inputs.*`, `github.*`, `runner.*`, `steps.<id>.outputs.*`, `env.*`, string
literals, `==`, `!=`, `!`, `&&`, `||`, `success()`, `failure()`, `always()`); anything else fails
the test loudly, as an expression GitHub would reject or read differently should.

The result carries the action's outputs, every step's exit code and output, the job summary, and
the workflow commands (`::error file=...::`, `::add-mask::`, ...) the steps printed, read as the
runner reads them: lines end at \r\n, \r or \n, leading whitespace is trimmed, and nothing is a
command between `::stop-commands::TOKEN` and `::TOKEN::`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
STEP_KEYS = {"name", "id", "shell", "run", "env", "working-directory", "if"}
# a `uses:` step runs another action, fetched from github.com: it cannot run here, so it is
# recorded (pinned reference, evaluated `with:` inputs) for the tests to assert on
USES_KEYS = {"name", "id", "uses", "with", "if"}
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
COMMAND = re.compile(r"^::([^\s:]+)(?: ([^:]*))?::(.*)$")
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # where the runner ends a line of output


class UnsupportedExpression(AssertionError):
    """An expression (or action.yml construct) this harness does not evaluate."""


@dataclass(frozen=True)
class WorkflowCommand:
    """One `::command key=value,...::message` line a step printed (un-escaped)."""

    command: str
    properties: dict[str, str]
    message: str
    step: str


@dataclass
class StepResult:
    id: str
    name: str
    skipped: bool
    code: int | None = None
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    uses: str = ""  # a `uses:` step: the action it names, recorded, not run
    with_inputs: dict[str, str] = field(default_factory=dict)

    @property
    def outcome(self) -> str:
        if self.skipped:
            return "skipped"
        return "success" if self.code == 0 else "failure"


@dataclass
class ActionRun:
    outputs: dict[str, str]
    steps: list[StepResult]
    summary: str  # every step's GITHUB_STEP_SUMMARY, in order, as the job summary shows them
    commands: list[WorkflowCommand]

    @property
    def failed(self) -> bool:
        return any(step.outcome == "failure" for step in self.steps)

    @property
    def log(self) -> str:
        """stdout and stderr of every step that ran, unmasked."""
        return "".join(step.stdout + step.stderr for step in self.steps)

    @property
    def masks(self) -> list[str]:
        return [c.message for c in self.commands if c.command == "add-mask"]

    def annotations(self, level: str | None = None) -> list[WorkflowCommand]:
        """`error`, `warning` and `notice` commands (one level when given)."""
        levels = (level,) if level else ("error", "warning", "notice")
        return [c for c in self.commands if c.command in levels]

    def step(self, step_id: str) -> StepResult:
        return next(s for s in self.steps if s.id == step_id)


def pull_request_event(
    repository: str, number: int, base: str, head: str, head_sha: str = "", base_sha: str = ""
) -> dict[str, Any]:
    """The parts of a `pull_request` webhook payload a PR check reads."""
    owner, name = repository.split("/")
    repo = {"full_name": repository, "name": name, "owner": {"login": owner}}
    return {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "base": {"ref": base, "sha": base_sha, "repo": repo},
            "head": {"ref": head, "sha": head_sha, "repo": repo},
        },
        "repository": repo,
    }


def push_event(repository: str, ref: str, before: str = "", after: str = "") -> dict[str, Any]:
    owner, name = repository.split("/")
    repo = {"full_name": repository, "name": name, "owner": {"login": owner}}
    return {"ref": ref, "before": before, "after": after, "repository": repo}


@dataclass
class ActionRunner:
    """A runner for one job: the action at `action_path`, the checkout at `workspace`.

    `event` is the webhook payload (see pull_request_event / push_event), `env` the job's
    environment before the runner's own variables go on top (PATH, HOME, git identity, ...).
    """

    action_path: Path
    workspace: Path
    temp: Path
    env: Mapping[str, str]
    api_url: str
    token: str
    repository: str = "octo/app"
    event_name: str = "pull_request"
    event: dict[str, Any] = field(default_factory=dict)
    timeout: float = 300

    def runner_env(self) -> dict[str, str]:
        self.temp.mkdir(parents=True, exist_ok=True)
        event_path = self.temp / "event.json"
        event_path.write_text(json.dumps(self.event))
        env = dict(self.env)
        env.update(
            CI="true",
            GITHUB_ACTIONS="true",
            GITHUB_EVENT_NAME=self.event_name,
            GITHUB_EVENT_PATH=str(event_path),
            GITHUB_REPOSITORY=self.repository,
            GITHUB_REPOSITORY_OWNER=self.repository.split("/")[0],
            GITHUB_API_URL=self.api_url,
            GITHUB_SERVER_URL="https://github.com",
            GITHUB_GRAPHQL_URL=f"{self.api_url}/graphql",
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_ACTION_PATH=str(self.action_path),
            GITHUB_ACTION_REPOSITORY="",
            GITHUB_RUN_ID="4242",
            GITHUB_RUN_ATTEMPT="1",
            GITHUB_JOB="alembic-sentinel",
            GITHUB_ACTOR="ada",
            GITHUB_WORKFLOW="migrations",
            RUNNER_OS="Linux",
            RUNNER_ARCH="X64",
            RUNNER_TEMP=str(self.temp),
        )
        pull = self.event.get("pull_request")
        if self.event_name.startswith("pull_request") and pull:
            env.update(
                GITHUB_BASE_REF=pull["base"]["ref"],
                GITHUB_HEAD_REF=pull["head"]["ref"],
                GITHUB_REF=f"refs/pull/{pull['number']}/merge",
                GITHUB_REF_NAME=f"{pull['number']}/merge",
                GITHUB_SHA=pull["head"]["sha"],
            )
        else:
            ref = self.event.get("ref", "refs/heads/main")
            env.update(
                GITHUB_BASE_REF="",
                GITHUB_HEAD_REF="",
                GITHUB_REF=ref,
                GITHUB_REF_NAME=ref.rsplit("/", 1)[-1],
                GITHUB_SHA=self.event.get("after", ""),
            )
        return env

    def run(self, inputs: Mapping[str, str] | None = None) -> ActionRun:
        action = yaml.safe_load((self.action_path / "action.yml").read_text())
        if action["runs"]["using"] != "composite":
            raise UnsupportedExpression("only composite actions run here")
        given = dict(inputs or {})
        unknown = set(given) - set(action.get("inputs", {}))
        if unknown:
            raise UnsupportedExpression(f"inputs not declared in action.yml: {sorted(unknown)}")

        env = self.runner_env()
        contexts: dict[str, Any] = {
            "github": {
                "token": self.token,
                "action_path": str(self.action_path),
                "workspace": str(self.workspace),
                "event_name": self.event_name,
                "repository": self.repository,
                "api_url": self.api_url,
                "event": self.event,
            },
            "runner": {"temp": str(self.temp), "os": "Linux"},
            "steps": {},
            "env": env,
        }
        input_values: dict[str, str] = {}
        for name, spec in (action.get("inputs") or {}).items():
            spec = spec or {}
            if name in given:
                input_values[name] = given[name]
            else:
                input_values[name] = evaluate_template(str(spec.get("default", "")), contexts)
        contexts["inputs"] = input_values

        steps: list[StepResult] = []
        commands: list[WorkflowCommand] = []
        failed = False
        for index, step in enumerate(action["runs"]["steps"]):
            uses = "uses" in step
            unsupported = set(step) - (USES_KEYS if uses else STEP_KEYS)
            if unsupported or ("run" not in step and not uses):
                raise UnsupportedExpression(f"step {index}: unsupported keys {sorted(unsupported)}")
            if uses and not PINNED.fullmatch(str(step["uses"])):
                raise UnsupportedExpression(f"step {index}: `uses:` must be pinned to a commit")
            if not uses and step.get("shell") != "bash":
                raise UnsupportedExpression(f"step {index}: shell must be bash")
            step_id = step.get("id", f"__step{index}")
            name = step.get("name", step_id)
            condition = step.get("if", "success()")
            contexts["job_failed"] = failed
            if not truthy(evaluate_condition(str(condition), contexts)):
                steps.append(StepResult(step_id, name, skipped=True))
                continue
            if uses:
                with_inputs = {
                    key: evaluate_template(str(value), contexts)
                    for key, value in (step.get("with") or {}).items()
                }
                steps.append(
                    StepResult(step_id, name, False, 0, uses=step["uses"], with_inputs=with_inputs)
                )
                continue
            result = self._run_step(index, step, step_id, name, env, contexts)
            steps.append(result)
            commands.extend(parse_commands(result.stdout + result.stderr, name))
            contexts["steps"][step_id] = {
                "outputs": result.outputs,
                "outcome": result.outcome,
                "conclusion": result.outcome,
            }
            failed = failed or result.code != 0

        outputs = {
            name: evaluate_template(str(spec.get("value", "")), contexts)
            for name, spec in (action.get("outputs") or {}).items()
        }
        return ActionRun(outputs, steps, "".join(s.summary for s in steps), commands)

    def _run_step(
        self,
        index: int,
        step: dict[str, Any],
        step_id: str,
        name: str,
        env: dict[str, str],
        contexts: dict[str, Any],
    ) -> StepResult:
        files = {
            key: self.temp / f"_runner_file_commands/{key.lower()}_{index}_{uuid.uuid4().hex[:8]}"
            for key in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH")
        }
        for path in files.values():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
        script = self.temp / f"{uuid.uuid4()}.sh"
        run = step["run"]
        if EXPRESSION.search(run):
            raise UnsupportedExpression(
                f"step {name!r}: `${{{{ }}}}` inside run: (script injection)"
            )
        script.write_text(run)

        step_env = dict(env)
        step_env.update({key: str(path) for key, path in files.items()})
        for key, value in (step.get("env") or {}).items():
            step_env[key] = evaluate_template(str(value), contexts)
        cwd = self.workspace
        if "working-directory" in step:
            cwd = self.workspace / evaluate_template(str(step["working-directory"]), contexts)

        completed = subprocess.run(
            [*BASH, str(script)],
            cwd=cwd,
            env=step_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=self.timeout,
        )
        # what later steps see: GITHUB_ENV additions and GITHUB_PATH entries (first on PATH)
        env.update(parse_file_command(files["GITHUB_ENV"].read_text()))
        for entry in files["GITHUB_PATH"].read_text().splitlines():
            if entry.strip():
                env["PATH"] = entry.strip() + os.pathsep + env.get("PATH", "")
        return StepResult(
            id=step_id,
            name=name,
            skipped=False,
            code=completed.returncode,
            stdout=completed.stdout,
            stderr=completed.stderr,
            outputs=parse_file_command(files["GITHUB_OUTPUT"].read_text()),
            summary=files["GITHUB_STEP_SUMMARY"].read_text(),
        )


# --- file commands and workflow commands ------------------------------------------------------


def parse_file_command(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        heredoc = re.fullmatch(r"([^=]+?)<<(.+)", line)
        if heredoc and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = heredoc.groups()
            body: list[str] = []
            while index < len(lines) and lines[index] != delimiter:
                body.append(lines[index])
                index += 1
            if index >= len(lines):
                raise AssertionError(f"{name}: delimiter {delimiter!r} never closed")
            index += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        else:
            raise AssertionError(f"malformed file command line: {line!r}")
    return values


def _unescape_data(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(value: str) -> str:
    return (
        value.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def log_lines(output: str) -> list[str]:
    """`output` cut into lines where the runner cuts it."""
    return LINE_BREAK.split(output)


def parse_commands(output: str, step: str) -> list[WorkflowCommand]:
    """The commands the runner runs in `output`; `stop-commands` and the resuming `::TOKEN::`
    (command TOKEN) are listed too, the lines between them are not."""
    commands = []
    stopped_by: str | None = None
    for line in log_lines(output):
        match = COMMAND.match(line.lstrip())
        if not match:
            continue
        command, raw_properties, message = match.groups()
        if stopped_by is not None:
            if command.lower() != stopped_by.lower():
                continue
            stopped_by = None
        elif command.lower() == "stop-commands":
            stopped_by = message
        properties = {}
        for item in (raw_properties or "").split(","):
            if item:
                key, _, value = item.partition("=")
                properties[key] = _unescape_property(value)
        commands.append(WorkflowCommand(command, properties, _unescape_data(message), step))
    return commands


# --- expressions ------------------------------------------------------------------------------

TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))"
    r"|(?P<call>(?:success|failure|always|cancelled)\(\))"
    r"|(?P<ref>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)|(?P<bad>\S))"
)


def evaluate_template(text: str, contexts: Mapping[str, Any]) -> str:
    """A value with `${{ expr }}` parts: each replaced by its value as a string."""
    return EXPRESSION.sub(lambda m: to_string(evaluate(m.group(1), contexts)), text)


def evaluate_condition(text: str, contexts: Mapping[str, Any]) -> Any:
    """An `if:`: the whole text is an expression, `${{ }}` optional; a plain one also needs
    success() unless it calls a status function itself, as on GitHub."""
    stripped = text.strip()
    whole = EXPRESSION.fullmatch(stripped)
    expression = whole.group(1) if whole else stripped
    if EXPRESSION.search(expression):
        raise UnsupportedExpression(f"if: mixes text and expressions: {text!r}")
    if not re.search(r"\b(success|failure|always|cancelled)\(\)", expression):
        expression = f"success() && ({expression})"
    return evaluate(expression, contexts)


def evaluate(expression: str, contexts: Mapping[str, Any]) -> Any:
    tokens: list[tuple[str, str]] = []
    for match in TOKEN.finditer(expression):
        kind = match.lastgroup
        if kind is None:
            continue
        if kind == "bad":
            raise UnsupportedExpression(f"cannot evaluate {expression!r}")
        tokens.append((kind, match.group(kind)))
    parser = _Parser(tokens, contexts, expression)
    value = parser.parse_or()
    if parser.position != len(tokens):
        raise UnsupportedExpression(f"cannot evaluate {expression!r}")
    return value


class _Parser:
    def __init__(
        self, tokens: list[tuple[str, str]], contexts: Mapping[str, Any], source: str
    ) -> None:
        self.tokens = tokens
        self.contexts = contexts
        self.source = source
        self.position = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise UnsupportedExpression(f"unexpected end of {self.source!r}")
        self.position += 1
        return token

    def _binary(self, operator: str, operand: Callable[[], Any], combine: Callable) -> Any:
        value = operand()
        while self._peek() == ("op", operator):
            self._take()
            value = combine(value, operand())
        return value

    def parse_or(self) -> Any:
        return self._binary("||", self.parse_and, lambda a, b: a if truthy(a) else b)

    def parse_and(self) -> Any:
        return self._binary("&&", self.parse_comparison, lambda a, b: b if truthy(a) else a)

    def parse_comparison(self) -> Any:
        value = self.parse_unary()
        token = self._peek()
        if token in (("op", "=="), ("op", "!=")):
            self._take()
            other = self.parse_unary()
            equal = _loose_equal(value, other)
            return equal if token[1] == "==" else not equal
        return value

    def parse_unary(self) -> Any:
        kind, text = self._take()
        if (kind, text) == ("op", "!"):
            return not truthy(self.parse_unary())
        if (kind, text) == ("op", "("):
            value = self.parse_or()
            if self._take() != ("op", ")"):
                raise UnsupportedExpression(f"unbalanced parentheses in {self.source!r}")
            return value
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "call":
            failed = bool(self.contexts.get("job_failed"))
            return {
                "success()": not failed,
                "failure()": failed,
                "always()": True,
                "cancelled()": False,
            }[text]
        if kind == "ref":
            if text in ("true", "false"):
                return text == "true"
            return self._lookup(text)
        raise UnsupportedExpression(f"cannot evaluate {self.source!r}")

    def _lookup(self, reference: str) -> Any:
        parts = reference.split(".")
        if parts[0] not in ("inputs", "github", "runner", "steps", "env"):
            raise UnsupportedExpression(f"unknown context in {self.source!r}")
        value: Any = self.contexts
        for index, part in enumerate(parts):
            if not isinstance(value, Mapping):
                raise UnsupportedExpression(f"{reference!r} is not an object path")
            if part not in value:
                # GitHub yields '' for a missing property; a missing input or step is a typo
                if parts[0] in ("inputs", "steps") and index < 2:
                    raise UnsupportedExpression(f"{reference!r} does not exist")
                if parts[0] in ("github", "runner") and index == 1:
                    raise UnsupportedExpression(f"{reference!r} is not provided by the harness")
                return ""
            value = value[part]
        return value


def _loose_equal(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()  # GitHub compares strings case-insensitively
    return bool(a == b)


def truthy(value: Any) -> bool:
    return value not in (None, False, "", 0)


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)

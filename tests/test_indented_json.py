"""report/indented_json.py writes what `json.dumps(value, indent=2)` writes, character for
character: the lint's JSON report must not change with the faster writer."""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import pytest

from alembic_sentinel.report.indented_json import dumps_indented


class _Text(str):
    pass


PLAIN: list[Any] = [
    {},
    [],
    (),
    "",
    0,
    -12,
    10**30,
    None,
    True,
    False,
    {"a": [], "b": {}, "c": ()},
    [1, [2, [3, {}]], "x"],
    {'quote"back\\slash': "tab\there\nnew line", "ctl": "\x00\x1f\x7f"},
    {"accents": "éàü", "emoji": "\U0001f600", "cjk": "漢字"},
    {"findings": [{"code": "L305", "line": None, "fix": None, "ok": True}], "files": 3},
    {"nested": {"deeper": {"deepest": [None, False, {"k": (1, 2)}]}}},
]

# values the fast writer leaves to json.dumps: the answer is json.dumps' all the same
NOT_PLAIN: list[Any] = [
    {"ratio": 0.5},
    [float("nan"), float("inf")],
    {1: "int key"},
    {None: "none key", True: "bool key"},
    {"text": _Text("a str subclass")},
    OrderedDict([("b", 1), ("a", 2)]),
]


@pytest.mark.parametrize("value", PLAIN + NOT_PLAIN, ids=repr)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2)


def test_a_circular_value_is_refused_as_json_dumps_refuses_it() -> None:
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(looped)


def test_an_unknown_type_is_refused_as_json_dumps_refuses_it() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"value": object()})

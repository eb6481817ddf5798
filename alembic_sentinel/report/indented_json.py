"""`json.dumps(value, indent=2)`, the same text, written faster.

With `indent`, the standard library encodes in Python, a generator per container (its C
encoder only writes compact JSON): about 10 ms of the lint of 1,000 files, whose report lists
a statement per revision, all of it after the last file is judged. This writes the same text
by appending to one list, strings escaped by the C function `json` itself uses. Only the plain
values a report holds are written here (str keys; str, int, bool, None, list, tuple and dict
values, their exact types): anything else (a float, a subclass, a key of another type) is
left to `json.dumps`, for the whole value.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii
from typing import Any

_STEP = "  "


class _NotPlain(Exception):
    """A value this module leaves to json.dumps."""


def dumps_indented(value: Any) -> str:
    """The text of `json.dumps(value, indent=2)`."""
    parts: list[str] = []
    try:
        _write(value, "\n", parts)
    except (_NotPlain, RecursionError):
        return json.dumps(value, indent=2)
    return "".join(parts)


def _write(value: Any, newline: str, parts: list[str]) -> None:
    """Append `value`'s text; `newline` is a line break and the indentation of its line."""
    kind = type(value)
    if kind is str:
        parts.append(encode_basestring_ascii(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + _STEP
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            parts.append(separator)
            parts.append(encode_basestring_ascii(key))
            parts.append(": ")
            _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + _STEP
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    else:
        raise _NotPlain

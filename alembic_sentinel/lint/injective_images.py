"""SQL values that are a one-to-one image of one column of the row (L309's carried keys).

`UPDATE t SET code = CAST(user_id AS CHAR)` gives every row a value no other row can get
unless it holds the same `user_id`: the new column stands for the old one, and a unique key
over it holds wherever one over the old column does (round 37). One-to-one are: the bare
column, a CAST to a character type without a length (a length would cut; a CAST to a number
reads '01' and '1' alike), a CONCAT / `||` of
it with string constants only (a fixed prefix or suffix), and a hash of such a value (`MD5`,
`SHA1`, `SHA2(..., 256)`: collisions are not a duplicate a real table meets). Anything else
(a second column, LOWER, a CASE, SUBSTRING) may map two values to one and is no image.
"""

from __future__ import annotations

import re

# a column name, bare or quoted
_COLUMN = re.compile(r"^[`\"]?([A-Za-z_]\w*)[`\"]?$")
# a string constant ('item-'), no quote inside
_STRING = re.compile(r"^'[^']*'$")
# bare words that are values, not columns
_VALUE_WORDS = frozenset({"null", "true", "false", "default"})
# FUNC( ... ) over the whole expression
_CALL = re.compile(r"^(\w+)\s*\((.*)\)$", re.DOTALL)
_CAST = re.compile(
    r"^(.*)\s+AS\s+(?:N?CHAR|VARCHAR|TEXT|STRING|CHARACTER)$",
    re.IGNORECASE | re.DOTALL,
)
_HASHES = frozenset({"md5", "sha", "sha1", "sha2"})


def _levels(text: str) -> tuple[list[int | None], int, bool]:
    """For each character of `text`, the parenthesis depth it stands at, None inside quotes
    (the quotes included); then the depth after the last character and whether a quote is
    left open. The one scan split_top_level and _balanced share."""
    levels: list[int | None] = []
    depth, quote = 0, ""
    for char in text:
        if quote:
            levels.append(None)
            quote = "" if char == quote else quote
        elif char in "'\"`":
            levels.append(None)
            quote = char
        else:
            if char == ")":
                depth -= 1
            levels.append(depth)
            if char == "(":
                depth += 1
    return levels, depth, bool(quote)


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """`text` split at each `separator` outside parentheses and quotes."""
    levels = _levels(text)[0]
    parts, start, index = [], 0, 0
    while index < len(text):
        if levels[index] == 0 and text[index] not in "()" and text.startswith(separator, index):
            parts.append(text[start:index])
            start = index = index + len(separator)
            continue
        index += 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def constant(value: str) -> bool:
    """A string or number constant."""
    value = value.strip()
    return bool(_STRING.match(value)) or re.fullmatch(r"-?\d+(?:\.\d+)?", value) is not None


def image_of(value: str) -> str | None:
    """The one column (lowercase) `value` is a one-to-one image of, or None."""
    value = value.strip()
    while value.startswith("(") and value.endswith(")") and _balanced(value[1:-1]):
        value = value[1:-1].strip()
    column = _COLUMN.match(value)
    if column is not None:
        name = column.group(1).lower()
        return None if name in _VALUE_WORDS else name
    joined = split_top_level(value, "||")
    if len(joined) > 1:
        return _one_among_constants(joined)
    call = _CALL.match(value)
    if call is None or not _balanced(call.group(2)):
        return None
    function, arguments = call.group(1).lower(), split_top_level(call.group(2))
    if function == "cast" and len(arguments) == 1:
        cast = _CAST.match(arguments[0])
        return image_of(cast.group(1)) if cast is not None else None
    if function == "concat":
        return _one_among_constants(arguments)
    if function in _HASHES and arguments:
        # SHA2(x, 256): the second argument is the digest's size, a constant
        if not all(constant(extra) for extra in arguments[1:]):
            return None
        return image_of(arguments[0])
    return None


def _one_among_constants(parts: list[str]) -> str | None:
    """The column of the one part that is an image, every other part a string constant."""
    images = [part for part in parts if not constant(part)]
    return image_of(images[0]) if len(images) == 1 else None


def _balanced(text: str) -> bool:
    """Whether the parentheses of `text` (outside quotes) close in order."""
    levels, depth, open_quote = _levels(text)
    return depth == 0 and not open_quote and all(level is None or level >= 0 for level in levels)

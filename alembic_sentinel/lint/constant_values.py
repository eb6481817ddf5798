"""Values a revision computes from literals and constants, read from the syntax (never run).

Enum members are often kept in module constants and combined there: `NEW = sorted(OLD +
("void",))`, `[v for v in OLD if v != GONE]`, `set(OLD) | {"void"}`, `(*OLD, "void")`, and
spread into the type (`mysql.ENUM(*NEW)`, `sa.Enum(*["a", "b"])`). Evaluating these few
operations over literals and names whose value is already known lets lint compare the old and
the new member lists (L307, L308) and read an Enum's first member (L301). Only literal
strings, numbers, tuples, lists and sets, the builtins that copy or sort them, `+` / `|` / `-`
/ `&`, indexing, slicing and comprehensions with simple tests are read; anything else, or a
result over `_LIMIT` elements, is not known.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, cast

# the most elements a computed value may have (`("x",) * 10**9` is not evaluated)
_LIMIT = 10_000


class _Unknown(Exception):
    """The expression is not one lint evaluates."""


Lookup = Callable[[str], "ast.expr | None"]
_Apply = Callable[[Any, Any], Any]

_COPIES: Mapping[str, Callable[[Any], Any]] = MappingProxyType(
    {"tuple": tuple, "list": list, "set": frozenset, "frozenset": frozenset}
)
_BINARY: Mapping[type, _Apply] = MappingProxyType(
    {
        ast.Add: operator.add,
        ast.Sub: operator.sub,
        ast.BitOr: operator.or_,
        ast.BitAnd: operator.and_,
        ast.Mult: operator.mul,
    }
)
_COMPARE: Mapping[type, _Apply] = MappingProxyType(
    {
        ast.Eq: operator.eq,
        ast.NotEq: operator.ne,
        ast.In: lambda a, b: operator.contains(b, a),
        ast.NotIn: lambda a, b: not operator.contains(b, a),
        ast.Lt: operator.lt,
        ast.LtE: operator.le,
        ast.Gt: operator.gt,
        ast.GtE: operator.ge,
    }
)


class _Evaluator:
    def __init__(self, lookup: Lookup, builtin: Callable[[str], bool]) -> None:
        self.lookup = lookup
        self.builtin = builtin
        self.env: dict[str, object] = {}  # a comprehension's own variables
        self.depth = 0

    def value(self, node: ast.expr) -> object:
        self.depth += 1
        if self.depth > 50:
            raise _Unknown
        try:
            result = self.read(node)
        finally:
            self.depth -= 1
        if isinstance(result, (tuple, list, frozenset, str)) and len(result) > _LIMIT:
            raise _Unknown
        return result

    def read(self, node: ast.expr) -> object:
        if type(node) is ast.Constant:
            if node.value is None or type(node.value) in (str, int, float, bool):
                return node.value
            raise _Unknown
        if type(node) is ast.Tuple:
            return tuple(self.items(node.elts))
        if type(node) is ast.List:
            return self.items(node.elts)
        if type(node) is ast.Set:
            return frozenset(self.items(node.elts))
        if type(node) is ast.Name:
            if node.id in self.env:
                return self.env[node.id]
            known = self.lookup(node.id)
            if known is None or known is node:
                raise _Unknown
            return self.value(known)
        if type(node) is ast.BinOp:
            return self.binary(node)
        if type(node) is ast.Call:
            return self.call(node)
        if type(node) is ast.Subscript:
            return self.subscript(node)
        if type(node) is ast.SetComp:
            return frozenset(self.comprehension(node))
        if type(node) in (ast.ListComp, ast.GeneratorExp):
            return self.comprehension(cast("ast.ListComp | ast.GeneratorExp", node))
        if type(node) is ast.Compare:
            return self.compare(node)
        if type(node) is ast.BoolOp:
            values = [bool(self.value(value)) for value in node.values]
            return all(values) if type(node.op) is ast.And else any(values)
        if type(node) is ast.UnaryOp and type(node.op) is ast.Not:
            return not self.value(node.operand)
        if type(node) is ast.UnaryOp and type(node.op) is ast.USub:
            number = self.value(node.operand)
            if type(number) not in (int, float):
                raise _Unknown
            return -cast("float", number)
        raise _Unknown

    def items(self, elements: list[ast.expr]) -> list[object]:
        items: list[object] = []
        for element in elements:
            if type(element) is ast.Starred:
                items.extend(self.iterable(element.value))
            else:
                items.append(self.value(element))
        return items

    def iterable(self, node: ast.expr) -> list[object]:
        value = self.value(node)
        if isinstance(value, (tuple, list)):
            return list(value)
        if isinstance(value, frozenset):
            # a set's order is the interpreter's (hash-seeded for strings): not known
            raise _Unknown
        raise _Unknown

    def binary(self, node: ast.BinOp) -> object:
        apply = _BINARY.get(type(node.op))
        if apply is None:
            raise _Unknown
        left, right = self.value(node.left), self.value(node.right)
        if type(node.op) is ast.Mult:
            sized = left if isinstance(left, (tuple, list, str)) else right
            count = right if sized is left else left
            if type(count) is int and isinstance(sized, (tuple, list, str)):
                if len(sized) * count > _LIMIT:
                    raise _Unknown
        try:
            return apply(left, right)
        except (TypeError, ValueError, OverflowError) as error:
            raise _Unknown from error

    def call(self, node: ast.Call) -> object:
        func = node.func
        if type(func) is not ast.Name or not self.builtin(func.id) or func.id in self.env:
            raise _Unknown
        if func.id == "sorted" and len(node.args) == 1:
            reverse = False
            for keyword in node.keywords:
                flag = self.value(keyword.value) if keyword.arg == "reverse" else None
                if keyword.arg != "reverse" or type(flag) is not bool:
                    raise _Unknown  # `key=` is a function lint does not run
                reverse = flag
            try:
                return sorted(self.sortable(node.args[0]), reverse=reverse)  # type: ignore[type-var]
            except TypeError as error:
                raise _Unknown from error
        copy = _COPIES.get(func.id)
        if copy is not None and len(node.args) == 1 and not node.keywords:
            value = self.value(node.args[0])
            if func.id in ("tuple", "list") and isinstance(value, frozenset):
                raise _Unknown  # the set's order is not known
            if not isinstance(value, (tuple, list, frozenset, str)):
                raise _Unknown
            return copy(value)
        raise _Unknown

    def sortable(self, node: ast.expr) -> list[object]:
        value = self.value(node)
        if not isinstance(value, (tuple, list, frozenset)):
            raise _Unknown
        return list(value)  # sorted: a set's own order does not matter

    def subscript(self, node: ast.Subscript) -> object:
        sequence = self.value(node.value)
        if not isinstance(sequence, (tuple, list, str)):
            raise _Unknown
        index = node.slice
        try:
            if type(index) is ast.Slice:
                parts = [
                    None if part is None else self.value(part)
                    for part in (index.lower, index.upper, index.step)
                ]
                if not all(part is None or type(part) is int for part in parts):
                    raise _Unknown
                lower, upper, step = cast("list[int | None]", parts)
                return sequence[lower:upper:step]
            position = self.value(index)
            if type(position) is not int:
                raise _Unknown
            return sequence[position]
        except (IndexError, ValueError) as error:
            raise _Unknown from error

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp) -> list[object]:
        if len(node.generators) != 1:
            raise _Unknown
        generator = node.generators[0]
        target = generator.target
        if type(target) is not ast.Name or generator.is_async:
            raise _Unknown
        source = self.value(generator.iter)
        if not isinstance(source, (tuple, list, str)):
            raise _Unknown  # a set's order would be the interpreter's
        saved = self.env.get(target.id, _ABSENT)
        results: list[object] = []
        try:
            for item in source:
                self.env[target.id] = item
                if all(self.value(test) for test in generator.ifs):
                    results.append(self.value(node.elt))
        finally:
            if saved is _ABSENT:
                self.env.pop(target.id, None)
            else:
                self.env[target.id] = saved
        return results

    def compare(self, node: ast.Compare) -> bool:
        left = self.value(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            apply = _COMPARE.get(type(op))
            if apply is None:
                raise _Unknown
            right = self.value(comparator)
            try:
                if not apply(left, right):
                    return False
            except TypeError as error:
                raise _Unknown from error
            left = right
        return True


_ABSENT = object()


def constant_value(
    node: ast.expr, lookup: Lookup, builtin: Callable[[str], bool] = lambda name: True
) -> object:
    """The value `node` computes, `lookup` giving the (literal) expression a name holds and
    `builtin` saying whether a name still means Python's builtin (not rebound by the file);
    `UNKNOWN` when lint does not evaluate it."""
    try:
        return _Evaluator(lookup, builtin).value(node)
    except (_Unknown, RecursionError):
        return UNKNOWN


UNKNOWN = object()


def literal_node(value: object, like: ast.expr) -> ast.expr | None:
    """An ordered value (a tuple or list of strings and numbers, or one string) as a literal
    expression at `like`'s place; None for any other (a set, whose order is not known)."""
    if isinstance(value, str):
        return ast.copy_location(ast.Constant(value), like)
    if not isinstance(value, (tuple, list)):
        return None
    if not all(type(item) in (str, int, float) for item in value):
        return None
    elements: list[ast.expr] = [ast.copy_location(ast.Constant(item), like) for item in value]
    built = (
        ast.Tuple(elements, ast.Load()) if type(value) is tuple else ast.List(elements, ast.Load())
    )
    return ast.copy_location(built, like)


def sequence_node(
    node: ast.expr, lookup: Lookup, builtin: Callable[[str], bool] = lambda name: True
) -> ast.Tuple | ast.List | None:
    """`node`'s value as a literal tuple or list when it computes an ordered sequence of
    strings and numbers (`sorted(OLD + ("x",))`); else None."""
    built = literal_node(constant_value(node, lookup, builtin), node)
    return built if isinstance(built, (ast.Tuple, ast.List)) else None


def spread_type_arguments(call: ast.Call, lookup: Lookup) -> ast.Call:
    """A type's call with each `*members` spread into the literal members it computes
    (`mysql.ENUM(*sorted(OLD + ("x",)))`, `sa.Enum(*["a", "b"])`); the call itself when no
    spread is known."""
    if not any(type(arg) is ast.Starred for arg in call.args):
        return call
    args: list[ast.expr] = []
    for arg in call.args:
        members = sequence_node(arg.value, lookup) if type(arg) is ast.Starred else None
        if members is None:
            args.append(arg)
        else:
            args.extend(members.elts)
    if len(args) == len(call.args) and all(a is b for a, b in zip(args, call.args)):
        return call
    return ast.copy_location(ast.Call(call.func, args, call.keywords), call)

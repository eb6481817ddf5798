"""A LazyPattern answers as the compiled pattern does, for str and bytes, and compiles once."""

from __future__ import annotations

import re

import pytest

from alembic_sentinel.lint.lazy_patterns import LazyPattern

TEXTS = ["ALTER TABLE t ADD COLUMN a INT; alter table u drop b", "", "no match here"]


@pytest.mark.parametrize("text", TEXTS)
def test_every_method_answers_as_the_compiled_pattern(text: str) -> None:
    source, flags = r"\b(alter)\s+table\s+(\w+)", re.IGNORECASE
    lazy, compiled = LazyPattern(source, flags), re.compile(source, flags)

    def spans(found: re.Match[str] | None) -> tuple[int, int] | None:
        return found.span() if found else None

    assert spans(lazy.search(text)) == spans(compiled.search(text))
    assert spans(lazy.search(text, 5)) == spans(compiled.search(text, 5))
    assert spans(lazy.match(text)) == spans(compiled.match(text))
    assert spans(lazy.fullmatch(text)) == spans(compiled.fullmatch(text))
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub(r"\2", text) == compiled.sub(r"\2", text)
    assert lazy.sub(lambda m: m.group(2).upper(), text, 1) == compiled.sub(
        lambda m: m.group(2).upper(), text, 1
    )
    assert lazy.subn("x", text) == compiled.subn("x", text)
    assert lazy.split(text) == compiled.split(text)
    assert (lazy.pattern, lazy.flags) == (source, flags)


def test_bytes_patterns_and_one_compilation() -> None:
    lazy = LazyPattern(rb"op\.f\(")
    assert lazy._compiled is None  # nothing compiled before the first use
    assert lazy.search(b'op.f("fk_x")') is not None
    first = lazy.compiled
    assert lazy.findall(b"op.f( op.f(") == [b"op.f(", b"op.f("]
    assert lazy.compiled is first

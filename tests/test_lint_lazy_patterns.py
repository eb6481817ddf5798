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


def test_words_skip_only_ascii_text_none_of_them_is_in() -> None:
    source, flags = r"\bhav(ing)\b", re.IGNORECASE
    lazy, compiled = LazyPattern(source, flags, words=("having",)), re.compile(source, flags)
    for text in ["GROUP BY a HAVING COUNT(*) > 1", "nothing to see", "", "having", "Havings"]:
        found, expected = lazy.search(text), compiled.search(text)
        assert (found.span() if found else None) == (expected.span() if expected else None)
    # Unicode case folding: the dotless i matches i under IGNORECASE, lowercasing keeps it
    # dotless: text that is not ASCII is always searched
    folded = "GROUP BY a HAV\u0131NG COUNT(*) > 1"
    assert compiled.search(folded) is not None
    assert "having" not in folded.lower()
    assert lazy.search(folded) is not None
    assert LazyPattern(rb"having", re.IGNORECASE, words=(b"having",)).search(b"HAVING") is not None


def _patterns_given_words() -> list[tuple[str, LazyPattern[str] | LazyPattern[bytes]]]:
    """Every module-level LazyPattern of the linter that is given `words` (once, where a
    module imports another's)."""
    import importlib
    import pkgutil

    import alembic_sentinel.lint as lint

    found: dict[int, tuple[str, LazyPattern[str] | LazyPattern[bytes]]] = {}
    for info in pkgutil.iter_modules(lint.__path__):
        module = importlib.import_module(f"alembic_sentinel.lint.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, LazyPattern) and value.words:
                found.setdefault(id(value), (f"{info.name}.{name}", value))
    return list(found.values())


def _corpus() -> list[str]:
    """Text the linter searches: our revision patterns and the rules' documentation, whole and
    line by line, and phrases each pattern's words are meant for, in several cases."""
    from conftest import REPO

    texts = [
        "GROUP BY email HAVING COUNT(*) > 1",
        "delete the duplicates (dedup) first",
        "The downgrade is not implemented yet. TODO: FIXME XXX",
        "this column can be regenerated from orders; it is simply the sum of a and b",
        "cached, denormalised, denormalized, was derived from, is computed on the fly",
        "values are calculated at runtime; the total of x; gets built when read",
        "Downgrading is irreversible",
    ]
    files = sorted((REPO / "tests" / "data" / "revision_patterns").glob("*.py"))
    files.append(REPO / "docs" / "rules.md")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        texts.append(text)
        texts.extend(text.splitlines())
    return [variant for text in texts for variant in (text, text.upper(), text.title())]


def test_the_words_given_are_in_every_match() -> None:
    patterns = _patterns_given_words()
    assert len(patterns) >= 6  # having, its bytes, deduplication hints, downgrade, ...
    texts = _corpus()
    for name, lazy in patterns:
        for text in texts:
            subject: str | bytes = text
            if isinstance(lazy.pattern, bytes):
                subject = text.encode("utf-8", "replace")
            expected = lazy.compiled.search(subject)  # type: ignore[arg-type]
            found = lazy.search(subject)  # type: ignore[arg-type]
            assert (found.span() if found else None) == (expected.span() if expected else None), (
                name,
                text[:80],
            )
            for match in lazy.compiled.finditer(subject):  # type: ignore[arg-type]
                held = match.group(0).lower()
                assert any(word in held for word in lazy.words), (name, held)  # type: ignore[operator]

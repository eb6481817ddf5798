"""The values a column may hold, chosen to be awkward: what production has and tests forget.

For a column whose values may repeat, a small pool: values at the full declared length (ending in
a character that takes more than one byte), NULL where allowed, the empty string, quotes and
backslashes, spaces at the edges, the same word in another case, the boundaries of numbers and
dates (the largest INT, 9999-12-31, February 29th), non-ASCII text (German, Japanese) where the
column's character set can store it. Rows draw from the pool with a skew, so values repeat as they
do in real tables (and a unique constraint added later meets duplicates). For a column whose
values must not repeat, distinct values built around a counter, still awkward around it.

Realistic text comes from Faker (a well-kept library for exactly this), by the column's name: an
`email` column holds e-mail addresses, a `city` column city names; its generators are reseeded
for every column, so a column's values depend on the seed, the table and the column only.
Everything else is drawn from a `random.Random` the caller seeds.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import accumulate
from random import Random
from typing import TYPE_CHECKING, Any

from alembic_sentinel.data.schema import ColumnShape

if TYPE_CHECKING:
    from faker import Faker

NULL_SHARE = 0.15  # of the rows of a nullable column, besides the one NULL every such column has
LOCALES = ("en_US", "de_DE", "ja_JP")
TEXT_CAP = 1_000  # characters of a TEXT value: its declared limit would be 64 KiB a row
UNLIMITED_STRING = 200  # a VARCHAR without a length (SQLite)
BINARY_CAP = 64
TOKEN_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"  # the same in every collation
# a column's name -> the Faker provider whose values suit it; first match wins
_PROVIDERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), provider)
    for pattern, provider in (
        (r"e_?mail", "email"),
        (r"user_?name|login", "user_name"),
        (r"first_?name|given_?name", "first_name"),
        (r"last_?name|sur_?name|family_?name", "last_name"),
        (r"company|party|organi[sz]ation|employer", "company"),
        (r"city|town", "city"),
        (r"country", "country"),
        (r"street|address", "street_address"),
        (r"zip|post_?code|postal", "postcode"),
        (r"phone|mobile|fax", "phone_number"),
        (r"url|website|link|href", "url"),
        (r"descr|comment|note|body|message|summary|text|remark", "paragraph"),
        (r"title|subject|headline", "sentence"),
        (r"name", "name"),
    )
)
_ENCODINGS = {"latin1": "latin-1", "ascii": "ascii", "utf8": "bmp", "utf8mb3": "bmp"}

_DATE_EDGES = (
    dt.date(1000, 1, 1),
    dt.date(9999, 12, 31),
    dt.date(2024, 2, 29),
    dt.date(1999, 12, 31),
    dt.date(1970, 1, 1),
)
_DATETIME_EDGES = (
    dt.datetime(1000, 1, 1),
    dt.datetime(9999, 12, 31, 23, 59, 59),
    dt.datetime(2024, 2, 29, 12, 0, 0),
    dt.datetime(1999, 12, 31, 23, 59, 59),
    dt.datetime(1970, 1, 1),
)
# TIMESTAMP's range is 1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC, in the session's zone
_TIMESTAMP_EDGES = (
    dt.datetime(1970, 1, 2),
    dt.datetime(2038, 1, 18),
    dt.datetime(2024, 2, 29, 12, 0, 0),
    dt.datetime(1999, 12, 31, 23, 59, 59),
)
_TIME_EDGES = (dt.time(0, 0, 0), dt.time(23, 59, 59), dt.time(12, 30, 0))
_FLOAT_EDGES = (0.0, -1.5, 1e15, 1e-05, 123.25)
_JSON_EDGES = ("{}", "[]", '{"name": "Zoë", "tags": ["a", "b"]}', "[1, 2.5, null, true]", '""')


class ValueMaker:
    """Values for the columns of one generation run; `seed` makes it repeatable."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._faker: Faker | None = None

    def faker(self, locale: str, seed: int) -> Any:
        if self._faker is None:
            from faker import Faker

            self._faker = Faker(list(LOCALES))
        generator = self._faker[locale]
        generator.seed_instance(seed)
        return generator

    # --- values that may repeat ---------------------------------------------------------------

    def pool(self, column: ColumnShape, rng: Random) -> list[Any]:
        """The distinct non-NULL values a column whose values may repeat draws from."""
        kind = column.kind
        if kind == "integer":
            assert column.minimum is not None and column.maximum is not None
            candidates: list[Any] = [0, 1, -1, column.minimum, column.maximum]
            candidates.append(rng.randint(2, 999))
            return _distinct(v for v in candidates if column.minimum <= v <= column.maximum)
        if kind == "boolean":
            return [True, False]
        if kind == "decimal":
            largest = _largest_decimal(column)
            step = Decimal(1).scaleb(-(column.scale or 0))
            typical = (Decimal(rng.randint(1, 999)) * step).min(largest)
            return _distinct([Decimal(0), largest, -largest, step, typical])
        if kind == "float":
            return list(_FLOAT_EDGES)
        if kind == "date":
            return [*_DATE_EDGES, dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 9000))]
        if kind == "datetime":
            return [*_DATETIME_EDGES, _typical_moment(rng)]
        if kind == "timestamp":
            return [*_TIMESTAMP_EDGES, _typical_moment(rng)]
        if kind == "time":
            return list(_TIME_EDGES)
        if kind == "year":
            return [1901, 2155, 2000]
        if kind == "enum":
            return list(column.choices)
        if kind == "set":
            return _distinct(["", *column.choices[:1], ",".join(column.choices)])
        if kind == "json":
            return list(_JSON_EDGES)
        if kind == "uuid":
            return [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(3)]
        if kind == "binary":
            length = column.length or BINARY_CAP
            return _distinct(
                [b"", b"\x00" * length, b"\xff" * length, bytes(range(min(length, 16)))]
            )
        if kind in ("string", "text"):
            return self._text_pool(column, rng)
        return ["0"]  # unknown: a string the server converts if it can

    def column_values(self, column: ColumnShape, count: int, rng: Random) -> list[Any]:
        """`count` values for a column whose values may repeat. First come (when `count` is
        small, only these): the pool's first value twice (a repeat), a NULL when allowed, the
        rest of the pool once each; then draws with a skew towards the first values."""
        return self.repeating(column, rng)(count)

    def repeating(self, column: ColumnShape, rng: Random) -> Callable[[int], list[Any]]:
        """A source of values for a column whose values may repeat, taken a batch at a time:
        the first batch is what `column_values` gives; later ones go on drawing from the same
        pool with the same skew (the pool is drawn once, so a table of any size has few
        distinct values in such a column, as real tables do)."""
        pool = self.pool(column, rng)
        # the cumulative weights once: `choices` would add them up again for every value
        weights = list(accumulate(1.0 / (rank + 1) for rank in range(len(pool))))
        first = True

        def take(count: int) -> list[Any]:
            nonlocal first
            if not pool:  # nothing fits (a CHECK list of values longer than the column)
                return [None] * count
            values: list[Any] = []
            if first:
                values += [pool[0], pool[0]]
                if column.nullable:
                    values.append(None)
                values += pool[1:]
            while len(values) < count:
                if column.nullable and rng.random() < NULL_SHARE:
                    values.append(None)
                else:
                    values.append(rng.choices(pool, cum_weights=weights)[0])
            values = values[:count]
            if first:  # the edges anywhere in the batch, not in its first rows
                rng.shuffle(values)
            first = False
            return values

        return take

    # --- values that must not repeat ----------------------------------------------------------

    def unique_values(
        self, column: ColumnShape, count: int, rng: Random, taken: set[Any], start: int = 1
    ) -> list[Any]:
        """Up to `count` distinct values, none equal to one in `taken` (as the server compares
        them: strings without regard to case, accents or trailing spaces); fewer when the
        column's type has fewer."""
        return self.distinct(column, rng, taken, start)(count)

    def distinct(
        self, column: ColumnShape, rng: Random, taken: set[Any], start: int = 1
    ) -> Callable[[int], list[Any]]:
        """A source of distinct values, taken a batch at a time: `unique_values`' first batch,
        then the counter goes on from where it stopped (`taken` grows with what it gave)."""
        make = self._unique_maker(column, rng)
        index = start
        exhausted = False

        def take(count: int) -> list[Any]:
            nonlocal index, exhausted
            values: list[Any] = []
            misses = 0
            while not exhausted and len(values) < count and misses < count * 4 + 100:
                value = make(index)
                index += 1
                if value is None:  # the type has no more values
                    exhausted = True
                    break
                key = comparison_key(value)
                if key in taken:
                    misses += 1
                    continue
                taken.add(key)
                values.append(value)
            return values

        return take

    def _unique_maker(self, column: ColumnShape, rng: Random) -> Callable[[int], Any]:
        kind = column.kind
        if kind == "integer":
            assert column.maximum is not None
            top = column.maximum
            return lambda i: i if i <= top else None
        if kind == "boolean":
            return lambda i: [False, True][i - 1] if i <= 2 else None
        if kind in ("enum", "set"):
            choices = column.choices
            return lambda i: choices[i - 1] if i <= len(choices) else None
        if kind == "year":
            return lambda i: 1900 + i if i <= 255 else None
        if kind == "decimal":
            largest = _largest_decimal(column)
            return lambda i: Decimal(i) if i <= largest else None
        if kind == "float":
            return float
        if kind == "date":
            return lambda i: dt.date(2000, 1, 1) + dt.timedelta(days=i)
        if kind in ("datetime", "timestamp"):
            return lambda i: dt.datetime(2000, 1, 1, 8, 0) + dt.timedelta(hours=i * 7)
        if kind == "time":
            return lambda i: (dt.datetime(2000, 1, 1) + dt.timedelta(seconds=i)).time()
        if kind == "uuid":
            return lambda i: str(uuid.UUID(int=rng.getrandbits(128)))
        if kind == "json":
            return lambda i: f'{{"n": {i}}}'
        if kind == "binary":
            length = column.length or BINARY_CAP
            return lambda i: _token(i, length).encode("ascii") if _fits(i, length) else None
        if kind in ("string", "text"):
            pool = self._text_pool(column, rng)
            limit = _text_limit(column)

            def text(i: int) -> str | None:
                if not _fits(i, limit):
                    return None
                token = _token(i, limit)
                rest = pool[i % len(pool)] if pool else ""
                # the dash ends the counter: no two counters and rests make the same text
                return f"{token}-{rest}"[:limit] if len(token) < limit else token

            return text
        return str

    # --- text -----------------------------------------------------------------------------------

    def _text_pool(self, column: ColumnShape, rng: Random) -> list[str]:
        limit = _text_limit(column)
        provider = _provider(column.name)
        plain = self._fake(provider, "en_US", rng)
        foreign = [self._fake(provider, locale, rng) for locale in LOCALES[1:]]
        fitted = [_in_charset(text, column.charset) for text in foreign]
        foreign_text = next((t for t in reversed(fitted) if not t.isascii()), fitted[0])
        ending = "é" if _in_charset("é", column.charset) == "é" else "e"
        full = _full_length(f"{plain} {foreign_text}", limit, ending)
        candidates = [
            full,
            plain,
            foreign_text,
            "",
            'O\'Brien \\ "quoted"',
            f"  {plain}  ",
            plain.upper(),
        ]
        return _distinct(_in_charset(text, column.charset)[:limit] for text in candidates)

    def _fake(self, provider: str, locale: str, rng: Random) -> str:
        generator = self.faker(locale, rng.getrandbits(32))
        value = getattr(generator, provider)()
        return " ".join(str(value).split())  # one line: paragraphs and addresses span several


def comparison_key(value: Any) -> Any:
    """What a unique index compares: text without case, accents or trailing spaces (MySQL's
    default collations), booleans as numbers."""
    if isinstance(value, str):
        if value.isascii():  # no accents to take off: the common case, kept cheap
            return value.lower().rstrip(" ")
        decomposed = unicodedata.normalize("NFKD", value.casefold().rstrip(" "))
        return "".join(c for c in decomposed if not unicodedata.combining(c))
    if isinstance(value, bool):
        return int(value)
    return value


def _provider(column_name: str) -> str:
    for pattern, provider in _PROVIDERS:
        if pattern.search(column_name):
            return provider
    return "word"


def _text_limit(column: ColumnShape) -> int:
    if column.kind == "text":
        # a TINYTEXT holds 255 bytes: 85 characters of three bytes each
        return min(TEXT_CAP, column.length // 3) if column.length else TEXT_CAP
    return column.length if column.length else UNLIMITED_STRING


def _full_length(text: str, length: int, ending: str) -> str:
    if length <= 0:
        return ""
    body = text or "x"
    while len(body) < length:
        body = f"{body} {text or 'x'}"
    return body[: length - 1] + ending


def _in_charset(text: str, charset: str | None) -> str:
    """`text` with the characters the column's character set cannot store left out."""
    if charset is None or charset.startswith("utf8mb4") or charset.startswith("utf16"):
        return text
    encoding = _ENCODINGS.get(charset, "ascii")
    if encoding == "bmp":
        return "".join(c for c in text if ord(c) <= 0xFFFF)
    return text.encode(encoding, "ignore").decode(encoding)


def _token(index: int, width_limit: int) -> str:
    """`index` in base 36 (digits and lower-case letters compare the same in every collation)."""
    digits = ""
    while True:
        index, remainder = divmod(index, len(TOKEN_ALPHABET))
        digits = TOKEN_ALPHABET[remainder] + digits
        if index == 0:
            break
    return digits[-width_limit:] if width_limit else ""


def _fits(index: int, width: int) -> bool:
    return width > 0 and index < len(TOKEN_ALPHABET) ** min(width, 12)


def _largest_decimal(column: ColumnShape) -> Decimal:
    precision = column.precision or 10
    scale = column.scale or 0
    return (
        (Decimal(10) ** (precision - scale) - 1)
        if scale == 0
        else (Decimal(10) ** (precision - scale) - Decimal(1).scaleb(-scale))
    )


def _typical_moment(rng: Random) -> dt.datetime:
    return dt.datetime(2015, 1, 1, 8) + dt.timedelta(minutes=rng.randint(0, 4_000_000))


def _distinct(values: Sequence[Any] | Any) -> list[Any]:
    seen: set[Any] = set()
    kept = []
    for value in values:
        key = (type(value).__name__, value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept

"""Secrets out of every message: the password as written and in each spelling a URL gives it.

A password reaches output in more forms than one: raw in a driver's message, percent-encoded in
a URL (`Xy7%25Secr3t%40Pw` as SQLAlchemy renders it, `quote_plus` as a query string does), or
inside a value the project derived from it. Everything we print passes through `redact` with
every secret we know of; tests feed it hostile spellings (tests/hostile/).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, urlsplit

MASK = "***"
# names of configuration values whose value is a secret (ENV_CONFIG files, Flask configs)
_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL", re.I)
_RFC_1738 = re.compile(r"[:@/]")
# shorter values would hide ordinary words and numbers all over the output
_MINIMUM_LENGTH = 3


def spellings(secret: str) -> set[str]:
    """The secret as written, percent-encoded as URLs and query strings show it, and decoded."""
    forms = {
        secret,
        quote(secret, safe=" +"),  # SQLAlchemy 2's URL.render_as_string
        _RFC_1738.sub(lambda m: f"%{ord(m[0]):X}", secret),  # SQLAlchemy 1.4's: only ':@/'
        quote(secret, safe=""),
        quote_plus(secret),
    }
    return {form for form in forms if len(form) >= _MINIMUM_LENGTH}


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every spelling of every secret replaced by ***, longest first."""
    forms = {form for secret in secrets if secret for form in spellings(secret)}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    return text


def secret_values(values: dict[str, object]) -> list[str]:
    """The secrets among settings: the values of those whose names say so (DATABASE_PASSWORD,
    ...), and the password of every value that is a URL (SQLALCHEMY_DATABASE_URI, whatever its
    name: a message may quote a value derived from it)."""
    found = [
        str(value)
        for name, value in values.items()
        if _SECRET_NAME.search(name) and isinstance(value, (str, int)) and str(value)
    ]
    found += [url_password(value) for value in values.values() if isinstance(value, str)]
    return [value for value in found if value]


def url_password(text: str) -> str:
    """The password of `text` when it is a URL with one (as written), else ""."""
    if "://" not in text or "@" not in text:
        return ""
    try:
        return urlsplit(text.strip()).password or ""
    except ValueError:
        return ""

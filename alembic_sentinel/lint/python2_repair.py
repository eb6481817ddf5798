"""A Python 2 revision read for the history only (L305's "copied earlier"): Alembic revisions
of the Python 2 era often differ from Python 3 only by `print x` statements and `except E, e:`.
Such a file stays F201 (Python 3 cannot import it) and is not reviewed, but what its upgrade
does (a copy of a column's values before a later revision drops it) counts for the revisions
after it when these two forms, rewritten line by line, are all that kept it from parsing.

Pure: regular expressions over the text; the caller parses the result.
"""

from __future__ import annotations

import re

from alembic_sentinel.lint.lazy_patterns import LazyPattern

# `print "x" % y`, `print x`, `print >>sys.stderr, x`, a bare `print`: the whole statement on
# its line becomes `pass` (what it printed does not matter to the history)
_PRINT = LazyPattern(r"^([ \t]*)print\b(?![ \t]*[(=.\[])[^\n]*$", re.MULTILINE)
# `except Exception, e:` -> `except Exception as e:`
_EXCEPT_COMMA = LazyPattern(r"^([ \t]*except[ \t]+[\w.]+)[ \t]*,[ \t]*(\w+)[ \t]*:", re.MULTILINE)


def repaired_python2(source: str | bytes) -> str | None:
    """The source with Python 2's print statements and `except E, e:` rewritten; None when
    there was nothing of the kind to rewrite."""
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    repaired = _PRINT.sub(r"\1pass", text)
    repaired = _EXCEPT_COMMA.sub(r"\1 as \2:", repaired)
    return repaired if repaired != text else None

"""Where in the user's files an exception happened, as `path:line` for a one-line error."""

from __future__ import annotations

from pathlib import Path


def innermost_frame(
    exc: BaseException, directory: Path, root: Path, skip: tuple[str, ...] = ()
) -> str | None:
    """`path:line` (relative to `root`) of the innermost frame inside `directory`, if any.

    A SyntaxError raised while compiling a file there has no frame of its own: its file and line
    are used instead. Paths with a part in `skip` (e.g. a virtualenv inside the project) are not
    the user's code.
    """

    def inside(path: Path) -> bool:
        return directory in path.parents and not any(part in path.parts for part in skip)

    def shown(path: Path, line: int | None) -> str:
        try:
            return f"{path.relative_to(root)}:{line}"
        except ValueError:
            return f"{path}:{line}"

    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if inside(filename):
            found = shown(filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None and isinstance(exc, SyntaxError) and exc.filename:
        filename = Path(exc.filename)
        if inside(filename):
            found = shown(filename, exc.lineno)
    return found

"""Work over many files shared between this process and one forked child.

Linting a history is two passes: every file is read on its own (most of the time), then every
file is judged against the history all of them make. `shared_between_two` runs both passes
split between the process and a child forked from it, which already holds everything imported:
each reads every other file, the two exchange what the history needs (small, plain data),
each assembles the same history and judges its own files, and the child sends its results
back. The answer is the one the serial loop gives, in the same order: a child that fails or
dies leaves its files to this process.

Forking pays off only with two CPUs free and enough files; a process that runs threads is
never forked (the child would hold their locks), nor one on a platform without `fork`.
`SENTINEL_LINT_PROCESSES=1` keeps everything in one process.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any, TypeVar

# below this many files the fork and the exchange cost more than the second CPU saves
FILES_WORTH_SHARING = 120
PROCESSES_VARIABLE = "SENTINEL_LINT_PROCESSES"

Read = TypeVar("Read")  # what reading one file leaves in the process that read it
Shared = TypeVar("Shared")  # what the other process needs of it (picklable)
Context = TypeVar("Context")  # what every file is judged against, assembled from all Shared
Result = TypeVar("Result")  # one file's answer (picklable)


def processes_for(count: int) -> int:
    """How many processes lint `count` files: 2 when a second CPU, fork and enough files make
    it pay, else 1 (SENTINEL_LINT_PROCESSES=1 asks for 1)."""
    if os.environ.get(PROCESSES_VARIABLE, "").strip() == "1":
        return 1
    if count < FILES_WORTH_SHARING or not hasattr(os, "fork"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return 2 if cpus >= 2 else 1


def shared_between_two(
    count: int,
    read: Callable[[int], tuple[Read, Shared]],
    assemble: Callable[[Sequence[Shared]], Context],
    judge: Callable[[int, Read, Context], Result],
    processes: int,
) -> list[Result]:
    """`judge(i, read_i, assemble([shared_0, ..., shared_n-1]))` for every i < count, where
    `read(i)` gives (read_i, shared_i); in one process, or split with a forked child."""
    if processes < 2 or _runs_threads():
        return _serial(count, read, assemble, judge)
    to_parent_r, to_parent_w = os.pipe()
    to_child_r, to_child_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: odd indices
        os.close(to_parent_r)
        os.close(to_child_w)
        _child(count, read, assemble, judge, to_parent_w, to_child_r)
    os.close(to_parent_w)
    os.close(to_child_r)
    with os.fdopen(to_parent_r, "rb") as from_child, os.fdopen(to_child_w, "wb") as to_child:
        try:
            return _parent(count, read, assemble, judge, from_child, to_child)
        finally:
            to_child.close()
            from_child.close()
            os.waitpid(pid, 0)


def _runs_threads() -> bool:
    """Whether `threading` counts threads other than the main one. A process that never
    imported it has started none through it, and importing it only to ask would cost every
    lint process about 2 ms."""
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def _serial(
    count: int,
    read: Callable[[int], tuple[Read, Shared]],
    assemble: Callable[[Sequence[Shared]], Context],
    judge: Callable[[int, Read, Context], Result],
) -> list[Result]:
    reads = [read(index) for index in range(count)]
    context = assemble([shared for _, shared in reads])
    return [judge(index, local, context) for index, (local, _) in enumerate(reads)]


def _child(
    count: int,
    read: Callable[[int], tuple[Read, Shared]],
    assemble: Callable[[Sequence[Shared]], Context],
    judge: Callable[[int, Read, Context], Result],
    to_parent_fd: int,
    from_parent_fd: int,
) -> None:
    """Read the odd files, exchange, judge them, send the results; never returns (os._exit:
    no atexit handler, no buffered output of the parent's written twice)."""
    try:
        with (
            os.fdopen(to_parent_fd, "wb") as to_parent,
            os.fdopen(from_parent_fd, "rb") as from_parent,
        ):
            mine = range(1, count, 2)
            reads = {index: read(index) for index in mine}
            _send(to_parent, [shared for _, shared in reads.values()])
            theirs = pickle.load(from_parent)
            every: list[Any] = [None] * count
            every[1::2] = [shared for _, shared in reads.values()]
            every[0::2] = theirs
            context = assemble(every)
            _send(to_parent, [judge(index, reads[index][0], context) for index in mine])
    except BaseException:  # the parent does this share itself
        pass
    finally:
        os._exit(0)


def _parent(
    count: int,
    read: Callable[[int], tuple[Read, Shared]],
    assemble: Callable[[Sequence[Shared]], Context],
    judge: Callable[[int, Read, Context], Result],
    from_child: IO[bytes],
    to_child: IO[bytes],
) -> list[Result]:
    mine = range(0, count, 2)
    reads: dict[int, tuple[Read, Shared]] = {index: read(index) for index in mine}
    theirs = _receive(from_child)
    if theirs is None or len(theirs) != len(range(1, count, 2)):
        # the child failed: this process does its share
        return _serial(count, read, assemble, judge)
    own = [shared for _, shared in reads.values()]
    try:
        _send(to_child, own)
    except OSError:  # the child died after its reading: its results are done here below
        pass
    every: list[Any] = [None] * count
    every[0::2] = own
    every[1::2] = theirs
    context = assemble(every)
    results: list[Any] = [None] * count
    for index in mine:
        results[index] = judge(index, reads[index][0], context)
    # freed now, while the child may still be judging, rather than after its results came:
    # what reading 500 files built takes milliseconds to free
    reads.clear()
    judged = _receive(from_child)
    if judged is None or len(judged) != len(range(1, count, 2)):
        for index in range(1, count, 2):
            results[index] = judge(index, read(index)[0], context)
    else:
        results[1::2] = judged
    return results


def _send(stream: IO[bytes], value: object) -> None:
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    """The next value the child sent; None when it sent nothing (it failed or died)."""
    try:
        return pickle.load(stream)
    except (EOFError, OSError, pickle.UnpicklingError):
        return None

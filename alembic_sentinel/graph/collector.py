"""Cyclic garbage collection paused for a block that only builds what it keeps.

Reading a history (the graph verbs: the parse cache of every revision; lint: every file's syntax
tree and model, kept until the last file is judged) allocates hundreds of thousands of objects
that hold no reference cycles. While the collector runs, each of its passes re-walks that growing
heap for nothing: about 5 ms of a 50 ms `heads` and a tenth of the lint of 1,000 files. Reference
counting still frees everything.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state restored after.

    What survives the block is frozen (moved out of the generations the collector walks) before
    the collector runs again: otherwise the first allocation after it would walk everything the
    block built, about 80 ms after linting 1,000 files. Frozen objects are still freed by
    reference counting; only a reference cycle among them would outlive its last use.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()

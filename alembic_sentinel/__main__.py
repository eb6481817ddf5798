from __future__ import annotations

from alembic_sentinel.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

"""The errors a user can cause, each carrying the documented exit code it maps to.

Exit codes (README, "Exit codes"):
    0  success, nothing to report
    1  findings, or an operation refused by a safety check
    2  usage or configuration error
    3  database unreachable or missing
    4  the run did not finish: an internal error (a bug), or interrupted / terminated
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3
EXIT_INTERNAL = 4


class SentinelError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(SentinelError):
    """A setting, a config file or a command-line argument is wrong."""

    exit_code = EXIT_USAGE


class DatabaseUnreachable(SentinelError):
    """The database server cannot be reached, or the database does not exist."""

    exit_code = EXIT_DATABASE


class Refused(SentinelError):
    """A safety check stopped the operation (not at head, PROD_ENV, declined confirmation)."""

    exit_code = EXIT_FINDINGS


class Terminated(BaseException):
    """SIGTERM arrived (a cancelled CI job): unwind so every scratch schema is dropped.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way swallows it.
    """


class ProjectCodeError(SentinelError):
    """The project's own code (its app, config, revisions, fixtures) exited, or ended the run,
    where it should have returned: a problem in the project, told where it happened."""

    exit_code = EXIT_USAGE


class ShadowNotBuilt(SentinelError):
    """The drift check's shadow could not be migrated to head (`D405`): a revision failed,
    so nothing was compared. Not findings (1), not a bug (4): the history does not build."""

    exit_code = EXIT_USAGE

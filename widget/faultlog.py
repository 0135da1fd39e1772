"""Log a failure for operators without anything a visitor sent.

Exception messages can hold what a visitor typed (a database driver quotes the
failed statement's values, a parser quotes its input), so a failure is logged
as its class, the request id of the request's log line, and where in the code
it happened: never the message, never local values.
"""

from __future__ import annotations

import logging
import traceback

from widget.requestlog import request_id


def describe(error: BaseException) -> str:
    """The error's class, with its module: e.g. sqlalchemy.exc.OperationalError."""
    kind = type(error)
    return f"{kind.__module__}.{kind.__qualname__}"


def log_failure(logger: logging.Logger, what: str, error: BaseException) -> None:
    """One error line: what failed, the error's class and the request id."""
    logger.error("%s failed: %s (request_id=%s)", what, describe(error), request_id())


def log_unexpected(logger: logging.Logger, what: str, error: BaseException) -> None:
    """As log_failure, with the stack's file, line and code (no values) to find the bug."""
    frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
    logger.error(
        "%s failed: %s (request_id=%s)\n%s",
        what,
        describe(error),
        request_id(),
        frames.rstrip(),
    )

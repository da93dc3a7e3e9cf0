"""Logging that keeps the server log readable and free of noise from refused requests."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Django logs every 403 (``PermissionDenied``) with its traceback. A refused request is
    expected behaviour, not a fault: keep the one-line warning, drop the traceback, so that
    real errors (5xx) stand out and logs stay small."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

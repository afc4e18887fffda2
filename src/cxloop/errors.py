"""The exception hierarchy.

Every error a user can cause is a :class:`CxloopError`; the CLI prints its message on one line
and exits non-zero, the HTTP API turns it into a 4xx. Anything else is a bug.
"""

from __future__ import annotations


class CxloopError(Exception):
    """Base class of every error meant for a person to read and act on."""

    exit_code = 1

    def __init__(self, message: str, *, details: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ConfigError(CxloopError):
    """Settings or a definition file is missing, unreadable or invalid."""


class UsageError(CxloopError):
    """A command or function was called with arguments that cannot work."""

    exit_code = 2


class NotFoundError(UsageError):
    """A thing named by id (a record, a customer, an override) does not exist."""


class ConflictError(UsageError):
    """The request cannot apply to the thing's current state (a closed case cannot be
    resolved); the HTTP API answers 409."""


class DataError(CxloopError):
    """Input data cannot be read or does not meet the contract."""


class ValidationReportError(DataError):
    """A file failed validation; ``report`` holds every problem found."""

    def __init__(self, message: str, *, report: object) -> None:
        super().__init__(message, details=report)
        self.report = report


class WarehouseError(CxloopError):
    """The warehouse cannot be opened, migrated or written."""


class WarehouseBusyError(WarehouseError):
    """Another process holds the warehouse for writing."""

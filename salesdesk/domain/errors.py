"""Domain errors: each message says what is wrong and what to do, in a rep's words."""

from __future__ import annotations


class SalesDeskError(Exception):
    """Base of every error SalesDesk shows to a user.

    ``message`` says what is wrong; ``hint`` says what to do about it.
    """

    def __init__(self, message: str, hint: str = "", *, field: str | None = None) -> None:
        self.message = message
        self.hint = hint
        self.field = field
        super().__init__(f"{message} {hint}".strip())

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class ValidationError(SalesDeskError):
    """Input that cannot be accepted (missing, out of range, too long…)."""


class NotFoundError(SalesDeskError):
    """Something the user referred to does not exist."""


class ConflictError(SalesDeskError):
    """Someone else changed the same record since it was loaded."""

    def __init__(self, message: str, hint: str = "", *, fields: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.fields = fields or []


class RefusedError(SalesDeskError):
    """An operation the rules do not allow now (quote an uncleared deal, edit a signed revision…)."""


class StoreError(SalesDeskError):
    """The database cannot be opened or used (newer schema, corrupt file, unreachable server)."""


class ScheduleCycleError(ValidationError):
    """Work items depend on each other in a circle."""

"""One exception tree for dualuse.

Every error a user can cause or meet is a ``DualUseError``. Each subclass carries an HTTP-like
``status`` and a short ``code`` so that the entry points can map it to an RFC 9457 problem
response, a friendly page or a CLI exit code in one place.
"""

from __future__ import annotations


class DualUseError(Exception):
    """Base of every error dualuse raises on purpose."""

    status: int = 400
    code: str = "error"
    title: str = "The request could not be processed"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class ValidationError(DualUseError):
    """Input that is malformed or violates a rule; names the field where it can."""

    status = 422
    code = "validation-error"
    title = "Invalid input"


class ValidationErrors(ValidationError):
    """Several mistakes in one input, all reported at once (a form or a case file with more than one bad
    field); ``errors`` holds each with its field, and the detail lists them all."""

    def __init__(self, errors: list[ValidationError] | tuple[ValidationError, ...]) -> None:
        if not errors:
            raise ValueError("ValidationErrors needs at least one error")
        self.errors: tuple[ValidationError, ...] = tuple(errors)
        detail = "; ".join(
            f"{e.field}: {e.detail}" if e.field and not e.detail.startswith(f"{e.field}:") else e.detail
            for e in self.errors
        )
        if len(self.errors) > 1:
            detail = f"{len(self.errors)} mistakes: {detail}"
        super().__init__(detail, field=self.errors[0].field)


class NotFoundError(DualUseError):
    """The thing asked for does not exist, or the caller may not know that it does."""

    status = 404
    code = "not-found"
    title = "Not found"


class HiddenResourceError(NotFoundError):
    """Another organisation's resource, answered as not found so its existence does not leak; the entry
    points record it in the audit trail as a refused access, like a 403 (and a missing resource alike, so
    that the time taken does not tell them apart)."""


class AuthenticationError(DualUseError):
    """The caller is not who they say, or said nothing."""

    status = 401
    code = "unauthenticated"
    title = "Authentication required"


class PermissionDeniedError(DualUseError):
    """The caller is known but may not do this."""

    status = 403
    code = "forbidden"
    title = "Not allowed"


class ConflictError(DualUseError):
    """The change conflicts with the current state (duplicate, stale version, illegal transition)."""

    status = 409
    code = "conflict"
    title = "Conflict"


class ConfigurationError(DualUseError):
    """The system is configured in a way that is unsafe or cannot work."""

    status = 500
    code = "configuration-error"
    title = "Configuration error"


class ImportFailedError(DualUseError):
    """A data file could not be imported; nothing was changed. ``location`` says where it went wrong."""

    status = 422
    code = "import-failed"
    title = "Import failed"

    def __init__(self, detail: str, *, location: str | None = None, field: str | None = None) -> None:
        super().__init__(f"{location}: {detail}" if location else detail, field=field)
        self.location = location


class TooManyAttemptsError(DualUseError):
    """Too many attempts (failed sign-ins, anonymous submissions) in a while: refused until ``retry_after``
    seconds have passed."""

    status = 429
    code = "too-many-requests"
    title = "Too many attempts"

    def __init__(self, detail: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.retry_after = max(1, retry_after)

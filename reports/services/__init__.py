"""Writes: one atomic, keyword-only function per action."""


class ServiceError(Exception):
    """A business rule refused the action; the message is for the user (already translated)."""


class ConflictError(ServiceError):
    """Someone else saved first (optimistic versioning). `current` holds their version."""

    def __init__(self, message, *, current=None):
        super().__init__(message)
        self.current = current

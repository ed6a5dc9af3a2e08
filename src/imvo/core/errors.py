"""Domain exceptions shared by the apps. Their messages are written for users."""


class DomainError(Exception):
    """Something a user asked cannot be done; the message says why and what to do."""


class PermissionDeniedError(DomainError):
    """The person asking may not do this."""

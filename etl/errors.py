"""The exceptions newsetl raises, by stage.

``EtlError`` is what the CLI turns into a one-line message (exit 1); anything
else is a bug and keeps its traceback.
"""


class EtlError(Exception):
    """Base class for errors that are reported to the user as a message."""


class ExtractError(EtlError):
    """A document could not be read or decoded."""

    def __init__(self, source_uri: str, reason: str) -> None:
        super().__init__(f"{source_uri}: {reason}")
        self.source_uri = source_uri
        self.reason = reason


class TransformError(EtlError):
    """A document was read but could not be turned into an article."""


class ParseError(TransformError):
    """A document's content is not an article we can parse."""

    def __init__(self, source_uri: str, reason: str) -> None:
        super().__init__(f"{source_uri}: {reason}")
        self.source_uri = source_uri
        self.reason = reason


class LoadError(EtlError):
    """Writing to the database failed; the batch was rolled back."""


class SchemaNotCurrent(EtlError):
    """The database schema is behind the code's migrations."""

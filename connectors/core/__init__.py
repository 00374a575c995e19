"""The shared mechanics every channel module declares itself over."""

from connectors.core.batch import QUARANTINE_SCHEMA, RECORD_SCHEMA, Batch, BatchBuilder
from connectors.core.errors import ConfigurationError, FeedError
from connectors.core.window import DateWindow

__all__ = [
    "QUARANTINE_SCHEMA",
    "RECORD_SCHEMA",
    "Batch",
    "BatchBuilder",
    "ConfigurationError",
    "DateWindow",
    "FeedError",
]

"""The mirror's models: the records (``records``) and the bookkeeping (``log``)."""

from .log import SyncState, WebhookEvent
from .records import Company, Contact, Deal, DealPhase, DealPipeline, MirroredModel, User

__all__ = [
    "Company",
    "Contact",
    "Deal",
    "DealPhase",
    "DealPipeline",
    "MirroredModel",
    "SyncState",
    "User",
    "WebhookEvent",
]

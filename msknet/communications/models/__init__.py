"""Communications models: notifications (`notifications`) and news (`news`)."""

from .news import *
from .notifications import (
    DEFAULT_DELIVERY,
    CommunicationsEvent,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)

__all__ = [
    "DEFAULT_DELIVERY",
    "CommunicationsEvent",
    "Delivery",
    "Kind",
    "Notification",
    "NotificationPreference",
]

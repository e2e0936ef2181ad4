from .services import (
    PATHWAY,
    STALE_AFTER_DAYS,
    ConfirmationRequest,
    Service,
    ServiceActivity,
    ServiceChange,
    ServiceWorkforce,
    Step,
)

__all__ = [
    "PATHWAY",
    "STALE_AFTER_DAYS",
    "ConfirmationRequest",
    "Service",
    "ServiceActivity",
    "ServiceChange",
    "ServiceWorkforce",
    "Step",
]

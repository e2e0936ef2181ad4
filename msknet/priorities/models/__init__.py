from .events import PrioritiesEvent
from .nominations import Comment, Decision, Nomination, Support
from .rounds import DEFAULT_CRITERIA, Criterion, Round, RoundStatus, Term, TermLengths
from .screening import Score, Scorecard
from .strategic import (
    Horizon,
    Source,
    StrategicPriority,
    StrategicPriorityEvent,
)

__all__ = [
    "DEFAULT_CRITERIA",
    "Comment",
    "Criterion",
    "Decision",
    "Horizon",
    "Nomination",
    "PrioritiesEvent",
    "Round",
    "RoundStatus",
    "Score",
    "Scorecard",
    "Source",
    "StrategicPriority",
    "StrategicPriorityEvent",
    "Support",
    "Term",
    "TermLengths",
]

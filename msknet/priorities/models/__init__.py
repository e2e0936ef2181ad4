from .events import PrioritiesEvent
from .nominations import Comment, Decision, Nomination, Support
from .rounds import DEFAULT_CRITERIA, Criterion, Round, RoundStatus, Term, TermLengths
from .screening import Score, Scorecard

__all__ = [
    "DEFAULT_CRITERIA",
    "Comment",
    "Criterion",
    "Decision",
    "Nomination",
    "PrioritiesEvent",
    "Round",
    "RoundStatus",
    "Score",
    "Scorecard",
    "Support",
    "Term",
    "TermLengths",
]

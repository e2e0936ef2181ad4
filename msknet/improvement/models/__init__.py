from .cycles import Act, Cycle, CycleStatus
from .drivers import CHILD_KIND, DriverNode, NodeKind
from .events import ImprovementEvent
from .follows import MeasureFollow, ProjectFollow
from .measures import (
    DataPoint,
    Direction,
    Frequency,
    Measure,
    MeasureKind,
    Rebase,
)
from .projects import (
    IHI_SCALE,
    IHI_SCORES,
    SMART_HINT,
    ProgressChange,
    QIProject,
    Stage,
    TeamMember,
    score_text,
)

__all__ = [
    "CHILD_KIND",
    "IHI_SCALE",
    "IHI_SCORES",
    "SMART_HINT",
    "Act",
    "Cycle",
    "CycleStatus",
    "DataPoint",
    "Direction",
    "DriverNode",
    "Frequency",
    "ImprovementEvent",
    "Measure",
    "MeasureFollow",
    "MeasureKind",
    "NodeKind",
    "ProgressChange",
    "ProjectFollow",
    "QIProject",
    "Rebase",
    "Stage",
    "TeamMember",
    "score_text",
]

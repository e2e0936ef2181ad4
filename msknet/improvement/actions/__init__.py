"""Every write to improvement projects: keyword-only, `by=`, audited."""

from .cycles import plan_cycle, update_cycle
from .drivers import InUse, add_node, remove_node, rename_node
from .follows import follow_measure, follow_project, unfollow_measure, unfollow_project
from .measures import (
    DataFileInvalid,
    DuplicatePoint,
    ImportResult,
    add_data_point,
    add_data_points,
    add_measure,
    import_points,
    rebase_measure,
    remove_data_point,
    update_measure,
)
from .projects import (
    AlreadyStarted,
    NotAMember,
    NotSelected,
    ProjectClosed,
    add_team_member,
    close_project,
    remove_team_member,
    start_project,
    start_project_from_nomination,
    update_progress,
    update_project,
)

__all__ = [
    "AlreadyStarted",
    "DataFileInvalid",
    "DuplicatePoint",
    "ImportResult",
    "InUse",
    "NotAMember",
    "NotSelected",
    "ProjectClosed",
    "add_data_point",
    "add_data_points",
    "add_measure",
    "add_node",
    "add_team_member",
    "close_project",
    "follow_measure",
    "follow_project",
    "import_points",
    "plan_cycle",
    "rebase_measure",
    "remove_data_point",
    "remove_node",
    "remove_team_member",
    "rename_node",
    "start_project",
    "start_project_from_nomination",
    "unfollow_measure",
    "unfollow_project",
    "update_cycle",
    "update_measure",
    "update_progress",
    "update_project",
]

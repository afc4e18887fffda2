"""KPI goals: ``goals.yaml``, the status rule (hit / on track / at risk / miss), ``kpi_goals``."""

from cxloop.understand.goals.evaluation import evaluate_goal, evaluate_goals, goal_trend
from cxloop.understand.goals.goal_store import stored_goals, sync_goals
from cxloop.understand.goals.goals_file import GOALS_FILE, SCOPE_DIMENSIONS, goal_title, load_goals
from cxloop.understand.goals.status import default_direction, format_value, goal_status

__all__ = [
    "GOALS_FILE",
    "SCOPE_DIMENSIONS",
    "default_direction",
    "evaluate_goal",
    "evaluate_goals",
    "format_value",
    "goal_status",
    "goal_title",
    "goal_trend",
    "load_goals",
    "stored_goals",
    "sync_goals",
]

"""Journeys and moments of truth: the paths customers take across touchpoints, the time
between steps, drop-off, each touchpoint's satisfaction, and which touchpoints' bad experiences
move loyalty most."""

from cxloop.understand.journeys.moments import fit_moments_of_truth
from cxloop.understand.journeys.report import (
    JourneyOptions,
    build_journey_report,
    journey_options,
    journey_report,
)
from cxloop.understand.journeys.steps import journey_steps, touchpoint_visits

__all__ = [
    "JourneyOptions",
    "build_journey_report",
    "fit_moments_of_truth",
    "journey_options",
    "journey_report",
    "journey_steps",
    "touchpoint_visits",
]

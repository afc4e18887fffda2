"""The navigation registry: every page of the dashboard, built or still to come.

A page is switched on by setting ``available=True`` on its entry and including its router; until
then the navigation shows it as a disabled item ("coming in a later release"), never as a link
to a placeholder page. Entries a caller's role may not open are not shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxloop.api.deps import Principal
from cxloop.domain.access import Role
from cxloop.web.i18n import N_


@dataclass(frozen=True)
class NavEntry:
    """One page in the navigation.

    ``label`` is an English message id, translated where it is shown; ``role`` is the least
    role that may open the page (its route must require the same role).
    """

    key: str
    label: str
    path: str
    role: Role
    available: bool = False

    def is_current(self, path: str) -> bool:
        if self.path == "/":
            return path == "/"
        return path == self.path or path.startswith(self.path + "/")


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("overview", N_("Overview"), "/", Role.VIEWER, available=True),
    NavEntry("scorecard", N_("Scorecard"), "/scorecard", Role.VIEWER, available=True),
    NavEntry("customers", N_("Customers"), "/customers", Role.AGENT, available=True),
    NavEntry("feedback", N_("Feedback"), "/feedback", Role.VIEWER, available=True),
    NavEntry("gap", N_("Perception gap"), "/gap", Role.VIEWER, available=True),
    NavEntry("surveys", N_("Surveys"), "/surveys", Role.ANALYST, available=True),
    NavEntry("cases", N_("Cases"), "/cases", Role.AGENT, available=True),
    NavEntry("journeys", N_("Journeys"), "/journeys", Role.VIEWER, available=True),
    NavEntry("drivers", N_("Drivers"), "/drivers", Role.VIEWER, available=True),
    NavEntry("value_chain", N_("Value chain"), "/value-chain", Role.VIEWER, available=True),
    NavEntry("segments", N_("Segments"), "/segments", Role.VIEWER, available=True),
    NavEntry("advocates", N_("Advocates"), "/advocates", Role.AGENT, available=True),
    NavEntry("actions", N_("You said, we did"), "/actions", Role.ANALYST, available=True),
    NavEntry("settings", N_("Settings"), "/settings", Role.VIEWER, available=True),
)


def entry(key: str) -> NavEntry:
    """The registry entry named ``key``."""
    for candidate in NAVIGATION:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def visible_entries(principal: Principal | None) -> list[NavEntry]:
    """The entries this caller's role may open (none for someone not signed in)."""
    if principal is None:
        return []
    return [e for e in NAVIGATION if principal.role.allows(e.role)]

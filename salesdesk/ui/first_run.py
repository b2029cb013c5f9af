"""Who is using SalesDesk on this laptop: remembered per database, asked for on the first run.

The current user's name is what the audit log records as the author of every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from salesdesk.domain.errors import NotFoundError
from salesdesk.domain.model import TeamMember
from salesdesk.services.app import Services
from salesdesk.services.deals import DealQuery
from salesdesk.ui.prefs import remember_user, remembered_user

DEMO_DEALS = 60


@dataclass(frozen=True)
class Introduction:
    """What the rep answered in the welcome dialog."""

    member_uid: str | None  # an existing team member, or None to create one
    name: str = ""
    department: str = ""
    role: str = ""
    fill_demo: bool = False


def known_user(services: Services, prefs: QSettings) -> TeamMember | None:
    """The member remembered for this database, if they still exist and are active."""
    uid = remembered_user(prefs, services.store.url)
    if not uid:
        return None
    try:
        member = services.team.get(uid)
    except NotFoundError:
        return None
    return member if member.active else None


def database_is_empty(services: Services) -> bool:
    return services.deals.count(DealQuery(limit=1)) == 0


def demo_available() -> bool:
    try:
        from salesdesk.services import demo  # noqa: F401
    except ImportError:
        return False
    return True


def fill_demo(services: Services, progress: Callable[[int, int], None] | None = None) -> str:
    from salesdesk.services.demo import generate_demo

    return generate_demo(services, deals=DEMO_DEALS, seed=1, progress=progress, agreements=12)


def introduce(services: Services, prefs: QSettings, answer: Introduction) -> TeamMember:
    """Create the member if new, remember them for this database, and make them the audit actor."""
    if answer.member_uid is None:
        member = services.team.add(answer.name, answer.department, answer.role)
    else:
        member = services.team.get(answer.member_uid)
    remember_user(prefs, services.store.url, member.uid)
    services.set_actor(member.name)
    return member


def demo_user(services: Services) -> TeamMember | None:
    """Someone from Sales to be in the demo (else the first member)."""
    members = services.team.list_members()
    sales = [m for m in members if m.department == "Sales"]
    return (sales or members or [None])[0]

"""What every page needs: the services, who is using the app, and the remembered preferences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from salesdesk.domain.model import TeamMember
    from salesdesk.services.app import Services


@dataclass
class UiContext:
    services: Services
    user: TeamMember
    prefs: QSettings


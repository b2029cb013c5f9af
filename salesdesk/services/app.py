"""One object that opens the store and hands out the services (the CLI and the UI use it)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from salesdesk import paths
from salesdesk.domain.errors import StoreError
from salesdesk.services.context import Context
from salesdesk.services.customers import CustomerService
from salesdesk.services.deals import DealService
from salesdesk.services.feasibility import FeasibilityService
from salesdesk.services.history import HistoryService
from salesdesk.services.quote import QuoteService
from salesdesk.services.settings import SettingsService
from salesdesk.services.team import TeamService
from salesdesk.services.templates import ChecklistTemplateService
from salesdesk.store.engine import Store, open_store

if TYPE_CHECKING:
    from salesdesk.services.agreements import AgreementService
    from salesdesk.services.backup import BackupService
    from salesdesk.services.delivery import DeliveryService
    from salesdesk.services.kickoff import KickoffService
    from salesdesk.services.package import PackageService
    from salesdesk.services.terms_library import TermsLibraryService
    from salesdesk.services.yardstick import YardstickService
from salesdesk.store.schema import ChecklistTemplateItemRow, ChecklistTemplateRow, SettingRow, StandardTermRow

#: A settings row (not a Settings field) saying the shipped library was put in once.
LIBRARY_SEEDED = "library_seeded"


_SEEDED = "library_seeded"


def seed_library(ctx: Context) -> None:
    """Put the shipped checklist templates and standard terms into a new database, once.

    Once seeded, the team's own edits rule: a library they emptied stays empty.
    """
    with ctx.store.write() as s:
        if s.get(SettingRow, _SEEDED) is not None:
            return
        s.add(SettingRow(key=_SEEDED, value="true"))
        if not s.scalar(select(func.count(ChecklistTemplateRow.id))):
            data = json.loads(paths.resource_path("templates", "checklists.json").read_text(encoding="utf-8"))
            for t in data["templates"]:
                row = ChecklistTemplateRow(uid=str(uuid.uuid4()), name=t["name"], product_line=t["product_line"])
                row.items = [
                    ChecklistTemplateItemRow(
                        uid=str(uuid.uuid4()), position=i, department=item["department"], question=item["question"],
                        help_text=item.get("help", ""), mandatory=bool(item.get("mandatory")),
                    )
                    for i, item in enumerate(t["items"])
                ]
                s.add(row)
        if not s.scalar(select(func.count(StandardTermRow.id))):
            data = json.loads(paths.resource_path("terms", "standard_terms.json").read_text(encoding="utf-8"))
            for term in data["terms"]:
                s.add(StandardTermRow(uid=str(uuid.uuid4()), code=term["code"], title=term["title"], body=term["body"]))


@dataclass
class Services:
    ctx: Context
    deals: DealService = field(init=False)
    customers: CustomerService = field(init=False)
    team: TeamService = field(init=False)
    settings: SettingsService = field(init=False)
    history: HistoryService = field(init=False)
    feasibility: FeasibilityService = field(init=False)
    quotes: QuoteService = field(init=False)
    templates: ChecklistTemplateService = field(init=False)

    def __post_init__(self) -> None:
        self.feasibility = FeasibilityService(self.ctx)
        self.quotes = QuoteService(self.ctx)
        self.templates = ChecklistTemplateService(self.ctx)
        self.deals = DealService(self.ctx)
        self.customers = CustomerService(self.ctx)
        self.team = TeamService(self.ctx)
        self.settings = SettingsService(self.ctx)
        self.history = HistoryService(self.ctx)

    # The rest load on first use: some pull in the PDF builders, which are slow to import.
    @cached_property
    def agreements(self) -> AgreementService:
        from salesdesk.services.agreements import AgreementService

        return AgreementService(self.ctx)

    @cached_property
    def kickoff(self) -> KickoffService:
        from salesdesk.services.kickoff import KickoffService

        return KickoffService(self.ctx)

    @cached_property
    def delivery(self) -> DeliveryService:
        from salesdesk.services.delivery import DeliveryService

        return DeliveryService(self.ctx)

    @cached_property
    def yardstick(self) -> YardstickService:
        from salesdesk.services.yardstick import YardstickService

        return YardstickService(self.ctx)

    @cached_property
    def packages(self) -> PackageService:
        from salesdesk.services.package import PackageService

        return PackageService(self.ctx)

    @cached_property
    def backups(self) -> BackupService:
        from salesdesk.services.backup import BackupService

        return BackupService(self.ctx)

    @cached_property
    def terms_library(self) -> TermsLibraryService:
        from salesdesk.services.terms_library import TermsLibraryService

        return TermsLibraryService(self.ctx)

    @property
    def store(self) -> Store:
        return self.ctx.store

    def set_actor(self, name: str) -> None:
        self.ctx.actor = name

    def close(self) -> None:
        self.ctx.store.dispose()

    @classmethod
    def open(cls, url: str | None = None, *, actor: str = "SalesDesk", seed: bool = True) -> Services:
        """Open the database (``url``, else the default file), migrate it and seed the libraries."""
        target = url or paths.default_database_url()
        backups = paths.backup_dir() if url is None else None
        store = open_store(target, backup_folder=backups)
        ctx = Context(store=store, actor=actor)
        if seed:
            try:
                seed_library(ctx)
            except OSError as exc:
                store.dispose()
                raise StoreError(f"The shipped templates could not be read: {exc}.", "Reinstall SalesDesk.") from exc
        return cls(ctx)


def database_url(cli_url: str | None, env: dict[str, str]) -> str | None:
    """``--db`` first, then ``SALESDESK_DATABASE_URL``, then the settings file, else the default."""
    if cli_url:
        return cli_url
    if env.get("SALESDESK_DATABASE_URL"):
        return env["SALESDESK_DATABASE_URL"]
    saved = paths.config_dir() / "database-url.txt"
    if saved.exists():
        text = saved.read_text(encoding="utf-8").strip()
        return text or None
    return None


def remember_database_url(url: str | None) -> Path:
    """Keep the database URL chosen in Settings for the next start (a local, per-user file)."""
    target = paths.config_dir() / "database-url.txt"
    target.write_text((url or "").strip() + "\n", encoding="utf-8")
    return target

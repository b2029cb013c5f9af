"""The hook between the window's Print command (Ctrl+P) and the documents of a deal.

Until a provider is set, Print stays disabled with a tooltip saying why. The documents work sets
one, e.g. from its step module: ``set_print_provider(AgreementPrinting())``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from salesdesk.domain.model import Deal


class PrintProvider(Protocol):
    def can_print(self, deal: Deal) -> bool:
        """True when the deal has documents to print."""

    def print_deal(self, parent: QWidget, deal: Deal) -> None:
        """Preview and print the deal's documents."""


_provider: PrintProvider | None = None


def set_print_provider(provider: PrintProvider | None) -> None:
    global _provider
    _provider = provider


def print_provider() -> PrintProvider | None:
    return _provider

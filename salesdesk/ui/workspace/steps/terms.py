"""Terms: the deal's terms, picked from the standard library or written for it; every non-standard
term flagged and attributed to whoever approved it; conditions from the feasibility sign-offs listed
as they were given."""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QScrollArea, QVBoxLayout, QWidget

from salesdesk.domain.model import Deal, DealTerm, StandardTerm, TeamMember
from salesdesk.ui.icons import icon
from salesdesk.ui.widgets.fields import hint_label, section_title, with_error
from salesdesk.ui.workspace.agreement.people import People
from salesdesk.ui.workspace.agreement.term_card import TermCard
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CONTENT_WIDTH = 900


class TermsStep(StepPage):
    fields = frozenset({"terms"})

    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.library_service = ctx.ui.services.terms_library
        self.library: dict[str, StandardTerm] = {}
        self.members: dict[str, TeamMember] = {}
        self.approvers: list[tuple[str, str]] = []
        self.cards: list[TermCard] = []
        self.condition_cards: list[TermCard] = []

        body = QWidget()
        body.setMaximumWidth(CONTENT_WIDTH)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 8, 24, 24)
        column.setSpacing(6)
        self.summary = hint_label("")
        column.addWidget(self.summary)
        column.addWidget(section_title(self.tr("Terms of this deal")))
        column.addWidget(hint_label(self.tr(
            "Pick the standard terms that apply and write the ones negotiated for this deal. Every non-standard "
            "term is flagged on the agreement with the name of whoever approved it, so the account managers "
            "know about it before the first shipment.")))
        self.pick = QPushButton(icon("plus"), self.tr("Add a &standard term"))
        self.pick_menu = QMenu(self.pick)
        self.pick.setMenu(self.pick_menu)
        self.pick_menu.aboutToShow.connect(self._fill_pick_menu)
        self.write = QPushButton(icon("plus"), self.tr("&Write a term for this deal"))
        self.write.clicked.connect(self._write_term)
        bar = QHBoxLayout()
        bar.addWidget(self.pick)
        bar.addWidget(self.write)
        bar.addStretch(1)
        cards = QWidget()
        self.cards_box = QVBoxLayout(cards)
        self.cards_box.setContentsMargins(0, 0, 0, 0)
        self.cards_box.setSpacing(6)
        self.empty = hint_label(self.tr("No terms yet: add the standard ones that apply."))
        self.cards_box.addWidget(self.empty)
        column.addWidget(with_error(cards, self.errors, "terms"))
        column.addLayout(bar)

        column.addWidget(section_title(self.tr("Conditions from the feasibility sign-offs")))
        column.addWidget(hint_label(self.tr(
            "A department that signed off \"feasible with conditions\" put its conditions here; they are part of "
            "the agreement. They change only when the department signs off again.")))
        conditions = QWidget()
        self.conditions_box = QVBoxLayout(conditions)
        self.conditions_box.setContentsMargins(0, 0, 0, 0)
        self.conditions_box.setSpacing(6)
        self.no_conditions = hint_label(self.tr("None: every department signed off without conditions."))
        self.conditions_box.addWidget(self.no_conditions)
        column.addWidget(conditions)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- the deal in -------------------------------------------------------------------------

    def show_deal(self, deal: Deal) -> None:
        self._load_surroundings(deal)
        self._set_cards([t for t in deal.terms if t.source != "signoff"])
        self._set_conditions([t for t in deal.terms if t.source == "signoff"])
        self._update_summary()

    def entered(self) -> None:
        """Other steps may have changed the terms meanwhile: a sign-off adds or replaces its conditions, the
        kickoff records who acknowledged each non-standard term. Show them as they are now."""
        deal = self.editor.deal
        self._load_surroundings(deal)
        if deal.terms != self._terms():
            self._set_cards([t for t in deal.terms if t.source != "signoff"])
            self._set_conditions([t for t in deal.terms if t.source == "signoff"])
        self._update_summary()

    def _load_surroundings(self, deal: Deal) -> None:
        people = People.load(self.ctx.ui.services, deal)
        self.members = people.members
        self.approvers = people.member_choices()
        self.library = {t.uid: t for t in self.library_service.list_terms(include_inactive=True)}

    def _card(self, term: DealTerm) -> TermCard:
        library = self.library.get(term.standard_term_uid or "") if term.source == "library" else None
        if library is not None and not library.active:
            library = None  # a retired term: no longer compared with the library's words
        card = TermCard(term, library, self.members, self.approvers)
        card.changed.connect(self._edited)
        card.remove_requested.connect(self._remove)
        return card

    def _set_cards(self, terms: list[DealTerm]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for term in terms:
            self._append(self._card(term))
        self._renumber()

    def _set_conditions(self, terms: list[DealTerm]) -> None:
        for card in self.condition_cards:
            card.deleteLater()
        self.condition_cards = []
        for n, term in enumerate(terms, 1):
            card = self._card(term)
            card.set_number(n)
            card.number.setText("")
            self.condition_cards.append(card)
            self.conditions_box.addWidget(card)
        self.no_conditions.setVisible(not terms)

    def _append(self, card: TermCard) -> None:
        self.cards.append(card)
        self.cards_box.addWidget(card)

    def _renumber(self) -> None:
        for n, card in enumerate(self.cards, 1):
            card.set_number(n)
        self.empty.setVisible(not self.cards)

    # --- edits out ---------------------------------------------------------------------------

    def _terms(self) -> tuple[DealTerm, ...]:
        """The terms as shown (cards left blank are not part of the deal)."""
        written = tuple(t for t in (c.term() for c in self.cards) if t.title or t.body.strip())
        return written + tuple(c.term() for c in self.condition_cards)

    def _edited(self) -> None:
        terms = self._terms()
        self.editor.edit(lambda d: replace(d, terms=terms))
        self._update_summary()

    def _remove(self, card: TermCard) -> None:
        n = self.cards.index(card)
        self.cards.remove(card)
        self.cards_box.removeWidget(card)
        card.deleteLater()
        self._renumber()
        if self.cards:
            self.cards[min(n, len(self.cards) - 1)].title.setFocus()
        else:
            self.pick.setFocus()
        self._edited()

    def _fill_pick_menu(self) -> None:
        self.pick_menu.clear()
        present = {c.term().standard_term_uid for c in self.cards}
        offered = [t for t in self.library.values() if t.active]
        missing = [t for t in offered if t.uid not in present]
        every = QAction(self.tr("All standard terms not in this deal yet ({n})").format(n=len(missing)),
                        self.pick_menu)
        every.setEnabled(bool(missing))
        every.triggered.connect(lambda: self.add_standard(missing))
        self.pick_menu.addAction(every)
        self.pick_menu.addSeparator()
        for term in offered:
            action = QAction(f"{term.code} — {term.title}", self.pick_menu)
            action.setEnabled(term.uid not in present)
            action.setToolTip(term.body)
            action.triggered.connect(lambda _on=False, t=term: self.add_standard([t]))
            self.pick_menu.addAction(action)

    def add_standard(self, terms: list[StandardTerm]) -> None:
        """Add library terms with the library's words (standard while they stay unchanged)."""
        for term in terms:
            self._append(self._card(DealTerm(str(uuid.uuid4()), term.title, term.body, standard_term_uid=term.uid,
                                             source="library")))
        self._renumber()
        self._edited()

    def _write_term(self) -> None:
        card = self._card(DealTerm(str(uuid.uuid4()), "", "", non_standard=True, source="custom"))
        self._append(card)
        self._renumber()
        card.title.setFocus()
        self._edited()

    def _update_summary(self) -> None:
        terms = self.editor.deal.terms
        special = [t for t in terms if t.non_standard]
        pending = sum(1 for t in special if t.approved_by not in self.members)
        text = self.tr("{n} terms, {special} non-standard").format(n=len(terms), special=len(special))
        if pending:
            text += "  ·  " + self.tr("{n} waiting for approval").format(n=pending)
        self.summary.setText(text)


register_step("terms", TermsStep)

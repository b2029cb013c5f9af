"""Agreement & signatures: prepare the letter of agreement as a numbered revision, preview, print and
save it, have both sides sign it (drawn on screen or on paper), and see the frozen revision.

The agreement service decides everything (what a revision holds, whether the deal changed since,
who may sign); this page shows its answers. Rendering, preparing and signing run off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import ConflictError, SalesDeskError
from salesdesk.domain.model import Deal, Side, Signature
from salesdesk.domain.steps import StepStatus
from salesdesk.services.agreements import AgreementState
from salesdesk.ui import dialogs, theme
from salesdesk.ui.icons import icon
from salesdesk.ui.pdf_view import PdfPreview
from salesdesk.ui.printing import set_print_provider
from salesdesk.ui.progress import run_with_progress
from salesdesk.ui.text import format_date, stage_label
from salesdesk.ui.widgets.fields import hint_label, section_title
from salesdesk.ui.widgets.pill import Pill
from salesdesk.ui.workers import LatestOnly
from salesdesk.ui.workspace.agreement.people import People
from salesdesk.ui.workspace.agreement.print_pdf import (
    AgreementPrinting,
    agreement_title,
    news,
    print_agreement,
    print_document,
)
from salesdesk.ui.workspace.agreement.record import Banner, FrozenPanel
from salesdesk.ui.workspace.agreement.signing import SignatureInput, SignerPanel
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CURRENT = -1  # the revision combo's "what is current now"


@dataclass(frozen=True)
class Loaded:
    state: AgreementState
    pdf: bytes | None
    error: SalesDeskError | None
    revision: int


class AgreementStep(StepPage):
    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.agreements = ctx.ui.services.agreements
        self.state: AgreementState | None = None
        self.organisations: dict[Side, str] = {Side.OURS: "", Side.THEIRS: ""}
        self._sized = False
        self.loader = LatestOnly(self)
        self.loader.finished.connect(self._loaded)
        self.loader.failed.connect(self._load_failed)

        self.status = Pill()
        self.status_text = QLabel()
        self.status_text.setWordWrap(True)
        self.status_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner = Banner()
        self.banner.action.clicked.connect(self.prepare)
        self.prepare_button = QPushButton(self.tr("&Prepare agreement"))
        self.print_button = QPushButton(icon("print"), self.tr("Pr&int…"))
        self.print_button.setToolTip(self.tr("Print through the system print dialog (Ctrl+P)"))
        self.revision = QComboBox()
        self.revision.setAccessibleName(self.tr("Revision shown"))
        self.revision.setMinimumWidth(200)
        revision_label = QLabel(self.tr("Sh&ow"))
        revision_label.setBuddy(self.revision)
        head = QHBoxLayout()
        head.addWidget(section_title(self.tr("Letter of agreement")))
        head.addWidget(self.status, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addStretch(1)
        bar = QHBoxLayout()
        bar.addWidget(self.prepare_button)
        bar.addWidget(self.print_button)
        bar.addStretch(1)
        bar.addWidget(revision_label)
        bar.addWidget(self.revision)

        self.preview = PdfPreview(self.tr("Preparing the preview…"))
        self.preview.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.ours = SignerPanel(Side.OURS)
        self.theirs = SignerPanel(Side.THEIRS)
        self.frozen = FrozenPanel()
        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 6, 0)
        side_column.addWidget(section_title(self.tr("Signatures")))
        side_column.addWidget(hint_label(self.tr(
            "Both sides sign the same revision — on screen, or on paper and recorded here. The signed copy is "
            "then frozen; any later change to the deal needs a new revision, signed again.")))
        side_column.addWidget(self.frozen)
        side_column.addWidget(self.ours)
        side_column.addWidget(self.theirs)
        side_column.addStretch(1)
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        side_scroll.setWidget(side)
        side_scroll.setMinimumWidth(340)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(side_scroll)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 4, 16, 12)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.status_text)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.prepare_button.clicked.connect(self.prepare)
        self.print_button.clicked.connect(self.print_agreement)
        self.revision.activated.connect(lambda _i: self.refresh())
        self.ours.sign_requested.connect(self.sign)
        self.theirs.sign_requested.connect(self.sign)
        news.agreement_changed.connect(self._changed_elsewhere)

    # --- loading -----------------------------------------------------------------------------

    @property
    def ref(self) -> str:
        return self.editor.deal.ref

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # the letter on the left, the signatures on the right, at first sight
            self._sized = True
            width = max(700, self.splitter.width())
            self.splitter.setSizes([width * 11 // 20, width * 9 // 20])

    def show_deal(self, deal: Deal) -> None:
        self._load_people(deal)
        if self.isVisible():
            self.refresh()

    def entered(self) -> None:
        """Contacts and the team may have changed in other steps; the deal's agreement certainly may have."""
        self._load_people(self.editor.deal)
        self.refresh()

    def _load_people(self, deal: Deal) -> None:
        people = People.load(self.ctx.ui.services, deal)
        self.organisations = {Side.OURS: people.company, Side.THEIRS: people.customer}
        customer_side = next((p.contact_uid for p in deal.parties if p.side is Side.THEIRS and p.contact_uid), None)
        self.ours.set_people(people, preferred=self.ctx.ui.user.uid)
        self.theirs.set_people(people, preferred=customer_side)

    def _changed_elsewhere(self, ref: str) -> None:
        if ref == self.ref and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Ask the service where the agreement stands and render the revision chosen (off the UI thread)."""
        ref, agreements = self.ref, self.agreements
        number = self.revision.currentData()
        number = CURRENT if number is None else int(number)

        def load() -> Loaded:
            state = agreements.current(ref)
            try:
                pdf = agreements.render(ref, revision=None if number == CURRENT else number)
            except SalesDeskError as exc:
                return Loaded(state, None, exc, number)
            return Loaded(state, pdf, None, number)

        self.loader.submit(load)

    def _load_failed(self, exc: object) -> None:
        if not isinstance(exc, SalesDeskError):
            raise exc  # type: ignore[misc]  # an unexpected error: the app's error dialog takes it
        self.preview.clear(exc.message)
        self.status_text.setText(str(exc))
        self.status_text.show()

    def _loaded(self, loaded: Loaded) -> None:
        self.state = state = loaded.state
        self._fill_revisions(state, loaded.revision)
        self._show_state(state)
        if loaded.pdf is None:
            said_above = state.problem and loaded.error is not None and loaded.revision == CURRENT
            self.preview.clear(self.tr("No letter to show yet: see above why.") if said_above
                               else str(loaded.error) if loaded.error else self.tr("Nothing to show yet."))
        else:
            self.preview.set_pdf(loaded.pdf, self._file_name(state, loaded.revision))

    def _file_name(self, state: AgreementState, number: int) -> str:
        shown = next((r for r in state.revisions if r.number == number), None) if number != CURRENT else None
        if shown is None and number == CURRENT:
            shown = state.signed if state.is_signed else (state.draft if state.draft and not state.draft_outdated
                                                          else None)
        if shown is None:
            return self.tr("{ref} agreement (preview).pdf").format(ref=state.deal_ref)
        return f"{shown.doc_id}.pdf"

    def _fill_revisions(self, state: AgreementState, chosen: int) -> None:
        self.revision.blockSignals(True)
        self.revision.clear()
        self.revision.addItem(self.tr("What is current now"), CURRENT)
        for rev in reversed(state.revisions):
            words = {"draft": self.tr("draft"), "signed": self.tr("signed"), "superseded": self.tr("superseded")}
            self.revision.addItem(self.tr("Revision {n} — {status}").format(n=rev.number, status=words.get(
                rev.status, rev.status)), rev.number)
        self.revision.setCurrentIndex(max(0, self.revision.findData(chosen)))
        self.revision.setEnabled(bool(state.revisions))
        self.revision.blockSignals(False)

    # --- where the agreement stands ----------------------------------------------------------

    def _show_state(self, state: AgreementState) -> None:
        current, signed = state.current, state.signed
        self.banner.hide()
        self.frozen.hide()
        next_number = (state.revisions[-1].number if state.revisions else 0) + 1
        prepare_text = self.tr("&Prepare revision {n}").format(n=next_number)
        can_prepare = not state.problem
        signatures: dict[Side, Signature] = {}
        waiting = ""
        if current is None:
            self.status.set_pill(self.tr("Not prepared"), theme.STEP_HUES[StepStatus.NOT_STARTED])
            self.status_text.setText(self.tr("Preview of revision 1. Prepare it to give it its number, then have "
                                             "both sides sign it.") if not state.problem else "")
            prepare_text = self.tr("&Prepare agreement (revision 1)")
            waiting = self.tr("Prepare the agreement first.")
        elif state.is_signed:
            assert signed is not None
            self.status.set_pill(self.tr("Signed"), theme.STEP_HUES[StepStatus.DONE])
            self.status_text.setText(self.tr("Revision {n} · signed by both sides on {day}").format(
                n=signed.number, day=format_date(signed.signed_at.astimezone().date() if signed.signed_at else None)))
            signatures = {s.side: s for s in signed.signatures}
            can_prepare = False
        elif current.status == "draft" and not state.draft_outdated:
            self.status.set_pill(self.tr("Draft"), theme.STEP_HUES[StepStatus.IN_PROGRESS])
            self.status_text.setText(self.tr("Revision {n} ({doc_id}) · draft prepared on {day} · {waiting}").format(
                n=current.number, doc_id=current.doc_id, day=format_date(current.created_at.astimezone().date()),
                waiting=self._waiting_for(current.signatures)))
            signatures = {s.side: s for s in current.signatures}
            can_prepare = False
            if signed is not None:
                self.banner.show_message(theme.STEP_HUES[StepStatus.RECORD], self.tr(
                    "Revision {old} was superseded when the deal changed; this revision replaces it.").format(
                    old=signed.number), self.tr("Both sides sign revision {n}.").format(n=current.number))
        else:
            old = signed if signed is not None and (current.status != "draft") else current
            self.status.set_pill(self.tr("Superseded") if current.status != "draft" else self.tr("Outdated"),
                                 theme.WARNING_HUE)
            self.status_text.setText(self.tr("The deal changed after revision {n} was {what}.").format(
                n=old.number, what=self.tr("signed") if current.status != "draft" else self.tr("prepared")))
            changes = "\n".join(f"• {c}" for c in state.changes[:6])
            if current.status != "draft":
                headline = self.tr("Revision {n} is superseded — prepare revision {next} and have it signed "
                                   "again").format(n=old.number, next=next_number)
            else:
                headline = self.tr("The deal changed since revision {n} was prepared — prepare revision {next} "
                                   "before anyone signs").format(n=old.number, next=next_number)
            self.banner.show_message(theme.WARNING_HUE, headline, changes, prepare_text.replace("&", ""))
            self.banner.action.setEnabled(can_prepare)
            waiting = self.tr("Prepare revision {n} first.").format(n=next_number)
        self.status_text.setVisible(bool(self.status_text.text()))
        if state.problem:
            self.banner.show_message(theme.PROBLEM_HUE, state.problem)
            waiting = self.tr("There is nothing to sign yet.")
        if signed is not None:
            self.frozen.show_revision(signed, self.organisations, stage_label(self.editor.deal.stage),
                                      theme.STAGE_HUES[self.editor.deal.stage], superseded=not state.is_signed)
        self.prepare_button.setText(prepare_text if can_prepare else self.tr("&Prepare agreement"))
        self.prepare_button.setEnabled(can_prepare)
        offered = self.banner.isVisibleTo(self) and self.banner.action.isVisibleTo(self.banner)
        self.prepare_button.setVisible(not offered)  # one Prepare button: the banner's when it shows one
        self.prepare_button.setToolTip("" if can_prepare else state.problem or self.tr(
            "The current revision already matches the deal."))
        self.print_button.setEnabled(not state.problem or bool(state.revisions))
        for panel in (self.ours, self.theirs):
            panel.show_signature(signatures.get(panel.side), "" if panel.side in signatures else waiting)

    def _waiting_for(self, signatures: tuple[Signature, ...]) -> str:
        sides = {s.side for s in signatures}
        missing = [self.organisations[side] for side in (Side.OURS, Side.THEIRS) if side not in sides]
        if not missing:
            return self.tr("signed")
        if len(missing) == 2:
            return self.tr("waiting for both sides to sign")
        return self.tr("waiting for {who} to sign").format(who=missing[0])

    # --- actions -----------------------------------------------------------------------------

    def _deal_saved(self) -> bool:
        if self.editor.flush():
            return True
        dialogs.show_problem(self, SalesDeskError(
            self.tr("The deal has a change that is not saved yet."),
            self.tr("Fix what the header says, then prepare or sign the agreement.")), self.tr("Agreement"))
        return False

    def prepare(self) -> None:
        if not self._deal_saved():
            return
        ref, agreements = self.ref, self.agreements
        try:
            run_with_progress(self, self.tr("Preparing the agreement…"), lambda _p: agreements.prepare(ref))
        except SalesDeskError as exc:
            dialogs.show_problem(self, exc, self.tr("Prepare the agreement"))
            self.refresh()
            return
        for panel in (self.ours, self.theirs):
            panel.reset()
        self.revision.setCurrentIndex(0)
        self.refresh()

    def sign(self, entered: SignatureInput) -> None:
        if not self._deal_saved():
            return
        panel = self.ours if entered.side is Side.OURS else self.theirs
        ref, agreements = self.ref, self.agreements
        revision = self.state.current.number if self.state and self.state.current else None
        kwargs: dict[str, Any] = dict(member_uid=entered.member_uid, contact_uid=entered.contact_uid,
                                      signer_name=entered.signer_name, method=entered.method,
                                      image_png=entered.image_png, signed_on=entered.signed_on, scan=entered.scan,
                                      pin=entered.pin, revision=revision)
        try:
            signed = run_with_progress(self, self.tr("Recording the signature…"),
                                       lambda _p: agreements.sign(ref, entered.side, **kwargs))
        except ConflictError as exc:
            dialogs.show_problem(self, exc, self.tr("Sign the agreement"))
            self.refresh()
            return
        except SalesDeskError as exc:
            panel.show_error(exc)
            return
        panel.reset()
        if signed.status == "signed" and not self.editor.dirty:
            self.editor.reload()  # the deal is Agreed now: the header and the step bar say so
        self.refresh()

    def print_agreement(self) -> None:
        number = self.revision.currentData()
        shown = self.preview.pdf_bytes()
        if number not in (None, CURRENT) and shown is not None:
            rev = next((r for r in self.state.revisions if r.number == number), None) if self.state else None
            print_document(self, shown, agreement_title(rev.doc_id if rev else self.ref))
            return
        if self._deal_saved():
            print_agreement(self, self.ctx.ui.services, self.ref)


register_step("agreement", AgreementStep)
set_print_provider(AgreementPrinting())

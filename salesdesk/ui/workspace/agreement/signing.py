"""One side's signature: who signs, how (drawn on screen or on paper), and what was recorded.

Our side is signed by a team member who may sign agreements (with their PIN when they have one);
the customer's side by one of their contacts or a typed name. The panel only gathers the signature;
the step records it through the agreement service and shows the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QPalette, QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError, ValidationError
from salesdesk.domain.model import Side, Signature
from salesdesk.services.agreement_files import MAX_SCAN_BYTES
from salesdesk.ui.text import format_date, tr
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label
from salesdesk.ui.widgets.inputs import OptionalDateEdit
from salesdesk.ui.widgets.signature_pad import PAPER, SignaturePad
from salesdesk.ui.workspace.agreement.people import People

TYPED = "__typed__"


def choose_scan(parent: QWidget | None) -> str | None:
    """Ask for the scan of a signed paper copy; None when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, tr("Attach the scan of the signed copy"), "",
                                          tr("Scans (*.pdf *.png *.jpg *.jpeg)"))
    return path or None


@dataclass(frozen=True)
class SignatureInput:
    """What the rep entered for one side, as the agreement service takes it."""

    side: Side
    member_uid: str | None = None
    contact_uid: str | None = None
    signer_name: str = ""
    method: str = "drawn"
    image_png: bytes | None = None
    signed_on: date | None = None
    scan: bytes | None = None
    pin: str | None = None


class SignerPanel(QGroupBox):
    sign_requested = Signal(object)  # SignatureInput

    def __init__(self, side: Side, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.people = People()
        self.scan: bytes | None = None
        self.errors = FieldErrors(ErrorLabel())
        ours = side is Side.OURS

        self.signer = QComboBox()
        self.typed_name = QLineEdit()
        self.typed_name.setPlaceholderText(self.tr("Name of the person signing"))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(QRegularExpressionValidator(r"\d{0,12}", self.pin))
        self.on_screen = QRadioButton(self.tr("Sign on screen"))
        self.on_paper = QRadioButton(self.tr("Signed on paper"))
        self.on_screen.setChecked(True)
        how_group = QButtonGroup(self)
        how_group.addButton(self.on_screen)
        how_group.addButton(self.on_paper)
        how = QWidget()
        how_row = QHBoxLayout(how)
        how_row.setContentsMargins(0, 0, 0, 0)
        how_row.addWidget(self.on_screen)
        how_row.addWidget(self.on_paper)
        how_row.addStretch(1)

        self._needs_pin = False
        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_row(form, self.errors, "member_uid" if ours else "contact_uid",
                self.tr("&Signer") if ours else self.tr("Si&gner"), self.signer)
        if ours:
            add_row(form, self.errors, "pin", self.tr("&PIN"), self.pin)
        else:
            add_row(form, self.errors, "signer_name", self.tr("&Name"), self.typed_name)
        add_row(form, self.errors, "method", self.tr("How"), how)

        name = self.tr("Signature for our side") if ours else self.tr("Signature for the customer")
        self.pad = SignaturePad(name)
        self.signed_on = OptionalDateEdit()
        self.signed_on.set_value(date.today())
        self.attach = QPushButton(self.tr("&Attach scan…"))
        self.scan_label = hint_label(self.tr("No scan attached (optional)."))
        self.drop_scan = QPushButton(self.tr("Remove scan"))
        paper = QWidget()
        paper_form = QFormLayout(paper)
        paper_form.setContentsMargins(0, 0, 0, 0)
        add_row(paper_form, self.errors, "signed_on", self.tr("Signed &on"), self.signed_on)
        scan_row = QWidget()
        scan_line = QHBoxLayout(scan_row)
        scan_line.setContentsMargins(0, 0, 0, 0)
        scan_line.addWidget(self.attach)
        scan_line.addWidget(self.drop_scan)
        scan_line.addStretch(1)
        add_row(paper_form, self.errors, "scan", self.tr("Scan"), scan_row)
        paper_form.addRow("", self.scan_label)
        self.paper = paper
        self.pin.setMaximumWidth(140)
        self.signed_on.setMaximumWidth(170)
        self.pad_error = ErrorLabel()
        self.errors.register("image_png", self.pad_error, self.pad.canvas)

        self.record = QPushButton(self.tr("&Record our signature") if ours else self.tr("Record the c&ustomer's "
                                                                                         "signature"))
        self.signed_view = QLabel()
        self.signed_view.setWordWrap(True)
        self.signed_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.signed_image = QLabel()
        self.signed_image.setAccessibleName(self.tr("The recorded signature"))
        self.signed_image.setAutoFillBackground(True)  # on paper, as drawn: dark ink reads on any palette
        on_paper = self.signed_image.palette()
        on_paper.setColor(QPalette.ColorRole.Window, PAPER)
        self.signed_image.setPalette(on_paper)
        self.signed_image.setContentsMargins(10, 4, 10, 4)
        self.signed_image.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

        self.entry = QWidget()
        entry = QVBoxLayout(self.entry)
        entry.setContentsMargins(0, 0, 0, 0)
        entry.addLayout(form)
        entry.addWidget(self.pad)
        entry.addWidget(self.paper)
        entry.addWidget(self.pad_error)
        entry.addWidget(self.errors.general)  # type: ignore[arg-type]
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record)
        entry.addLayout(buttons)
        self.waiting = hint_label("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.waiting)
        layout.addWidget(self.entry)
        layout.addWidget(self.signed_view)
        layout.addWidget(self.signed_image)

        self.signer.activated.connect(lambda _i: self._signer_chosen())
        self.on_screen.toggled.connect(self._method_chosen)
        self.pad.changed.connect(self._update_ready)
        self.typed_name.textChanged.connect(self._update_ready)
        self.signed_on.dateChanged.connect(lambda _d: self._update_ready())
        self.attach.clicked.connect(self._attach_scan)
        self.drop_scan.clicked.connect(lambda: self._set_scan(None, ""))
        self.record.clicked.connect(self._record)
        self._set_scan(None, "")
        self._method_chosen()

    # --- filling -----------------------------------------------------------------------------

    def set_people(self, people: People, *, preferred: str | None = None) -> None:
        """Who may sign for this side; ``preferred`` is chosen first (the rep, the customer's main contact)."""
        self.people = people
        organisation = people.company if self.side is Side.OURS else people.customer
        self.setTitle(self.tr("For {organisation}").format(organisation=organisation))
        chosen = self.signer.currentData()
        self.signer.clear()
        if self.side is Side.OURS:
            choices = people.member_choices(signers_only=True)
            if not choices:
                self.signer.addItem(self.tr("Nobody may sign yet — allow it in Team"), None)
            for label, uid in choices:
                self.signer.addItem(label, uid)
        else:
            for label, uid in people.contact_choices():
                self.signer.addItem(label, uid)
            self.signer.addItem(self.tr("Someone else — type the name"), TYPED)
        found = self.signer.findData(chosen) if chosen else -1
        self.signer.setCurrentIndex(found if found >= 0 else max(0, self.signer.findData(preferred)))
        self._signer_chosen()

    def show_signature(self, signature: Signature | None, waiting: str = "") -> None:
        """The recorded signature of this side, or the entry form (``waiting`` says why it is closed)."""
        signed = signature is not None
        self.entry.setVisible(not signed and not waiting)
        self.waiting.setText(waiting)
        self.waiting.setVisible(not signed and bool(waiting))
        self.signed_view.setVisible(signed)
        self.signed_image.setVisible(signed and signature.image_png is not None)  # type: ignore[union-attr]
        if signature is None:
            return
        how = self.tr("on paper") if signature.method == "paper" else self.tr("on screen")
        text = self.tr("Signed by <b>{name}</b> on {day}, {how}.").format(
            name=_escape(signature.signer_name), day=format_date(signature.signed_on), how=how)
        if signature.scan:
            text += " " + self.tr("A scan of the signed copy is kept.")
        self.signed_view.setText(text)
        if signature.image_png:
            pixmap = QPixmap()
            if pixmap.loadFromData(QByteArray(signature.image_png)):
                self.signed_image.setPixmap(pixmap.scaledToHeight(56, Qt.TransformationMode.SmoothTransformation))

    def reset(self) -> None:
        """Empty the entry after a signature was recorded or a new revision prepared."""
        self.pad.clear()
        self.pin.clear()
        self.typed_name.clear()
        self._set_scan(None, "")
        self.signed_on.set_value(date.today())
        self.errors.clear()

    # --- state -------------------------------------------------------------------------------

    def _signer_chosen(self) -> None:
        data = self.signer.currentData()
        if self.side is Side.THEIRS:
            self.form.setRowVisible(self._row_of(self.typed_name), data == TYPED)
        else:
            member = self.people.members.get(data or "")
            self._needs_pin = bool(member and member.has_pin)
            self.form.setRowVisible(self._row_of(self.pin), self._needs_pin)
            if member is not None:
                self.pin.setAccessibleName(self.tr("PIN of {name}").format(name=member.name))
        self._update_ready()

    @staticmethod
    def _row_of(field: QWidget) -> QWidget:
        """The form row's field: the input with its error label (see ``add_row``)."""
        box = field.parentWidget()
        assert box is not None
        return box

    def _method_chosen(self, *_args: object) -> None:
        drawn = self.on_screen.isChecked()
        self.pad.setVisible(drawn)  # only the one in use takes room
        self.paper.setVisible(not drawn)
        self._update_ready()

    def _update_ready(self, *_args: object) -> None:
        data = self.signer.currentData()
        who = bool(data) and (data != TYPED or bool(self.typed_name.text().strip()))
        how = not self.pad.is_empty() if self.on_screen.isChecked() else self.signed_on.value() is not None
        self.record.setEnabled(who and how)
        if not who:
            self.record.setToolTip(self.tr("Choose who signs first."))
        elif not how:
            self.record.setToolTip(self.tr("Draw the signature first.") if self.on_screen.isChecked()
                                   else self.tr("Enter the day it was signed."))
        else:
            self.record.setToolTip("")

    def _attach_scan(self) -> None:
        path = choose_scan(self)
        if not path:
            return
        try:
            file = Path(path)
            if file.stat().st_size > MAX_SCAN_BYTES:
                raise ValidationError(self.tr("The scan is too large ({mb:.1f} MB).").format(
                    mb=file.stat().st_size / 1024 / 1024),
                    self.tr("Scan at a lower resolution; at most {n} MB.").format(n=MAX_SCAN_BYTES // 1024 // 1024),
                    field="scan")
            data = file.read_bytes()
        except OSError as exc:
            self.errors.show(ValidationError(self.tr("The scan could not be read: {reason}.").format(
                reason=exc.strerror or exc), self.tr("Choose another file."), field="scan"))
            return
        except SalesDeskError as exc:
            self.errors.show(exc)
            return
        self._set_scan(data, file.name)

    def _set_scan(self, data: bytes | None, name: str) -> None:
        self.scan = data
        self.scan_label.setText(self.tr("Attached: {name}").format(name=name) if data
                                else self.tr("No scan attached (optional)."))
        self.drop_scan.setVisible(data is not None)

    def _record(self) -> None:
        self.errors.clear()
        data = self.signer.currentData()
        drawn = self.on_screen.isChecked()
        entered = SignatureInput(
            side=self.side,
            member_uid=data if self.side is Side.OURS else None,
            contact_uid=data if self.side is Side.THEIRS and data != TYPED else None,
            signer_name=self.typed_name.text().strip() if data == TYPED else "",
            method="drawn" if drawn else "paper",
            image_png=self.pad.png() if drawn else None,
            signed_on=None if drawn else self.signed_on.value(),
            scan=None if drawn else self.scan,
            pin=self.pin.text() if self._needs_pin else None,
        )
        self.sign_requested.emit(entered)

    def show_error(self, exc: SalesDeskError) -> None:
        self.errors.show(exc)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""Discovery: the customer and their people, the need, probing questions, objections, existing
technology, the customer's abilities and training, scope, and how surprises will be handled."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Customer, Deal, DiscoveryQuestion, Objection
from salesdesk.ui.customers.contacts import CustomerContacts
from salesdesk.ui.customers.contacts_panel import ContactsPanel
from salesdesk.ui.widgets.fields import add_row, align_form_labels, hint_label, section_title, with_error
from salesdesk.ui.widgets.inputs import GrowingTextEdit
from salesdesk.ui.widgets.pair_list import Pair, PairListEditor
from salesdesk.ui.workspace.binding import DealBinding
from salesdesk.ui.workspace.question_template import TemplateQuestionsButton
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CONTENT_WIDTH = 860


class DiscoveryStep(StepPage):
    fields = frozenset({
        "title", "owner_uid", "needs_identified", "needs_clarified", "questions", "objections",
        "existing_technology", "customer_abilities", "training_recommendation", "break_in_period",
        "inclusions", "exclusions", "cost_overrun_handling", "disagreement_handling",
    })

    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.binding = DealBinding(self.editor)
        body = QWidget()
        body.setMaximumWidth(CONTENT_WIDTH)
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(24, 8, 24, 24)
        self.layout_.setSpacing(6)
        self._customer_section()
        self._deal_section()
        self._need_section()
        self._questions_section()
        self._objections_section()
        self._text_section(self.tr("Existing technology"), self.tr(
            "What the customer runs today: generations of equipment, legacy systems, what ours must work with."),
            [("existing_technology", self.tr("Existing &technology"))])
        self._text_section(self.tr("The customer's abilities"), self.tr(
            "What their people can do, technically and otherwise; what training that calls for; how long until "
            "things run smoothly."),
            [("customer_abilities", self.tr("Customer's &abilities")),
             ("training_recommendation", self.tr("T&raining recommendation")),
             ("break_in_period", self.tr("&Break-in period"))])
        self._text_section(self.tr("Scope"), self.tr("Say what is and is not included, so nobody assumes."),
                           [("inclusions", self.tr("&Included")), ("exclusions", self.tr("&Not included"))])
        self._text_section(self.tr("When things go differently"), self.tr(
            "Agreed up front: how cost overruns and disagreements will be handled."),
            [("cost_overrun_handling", self.tr("&Cost overruns")),
             ("disagreement_handling", self.tr("&Disagreements"))])
        self.layout_.addStretch(1)
        align_form_labels(body)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- sections --------------------------------------------------------------------------

    def _customer_section(self) -> None:
        self.layout_.addWidget(section_title(self.tr("Customer")))
        self.customer_name = QLabel()
        font = self.customer_name.font()
        font.setBold(True)
        self.customer_name.setFont(font)
        self.customer_name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.customer_details = hint_label("")
        self.contacts = ContactsPanel()
        self.layout_.addWidget(self.customer_name)
        self.layout_.addWidget(self.customer_details)
        self.layout_.addWidget(hint_label(self.tr("The people on their side and their roles:")))
        self.layout_.addWidget(self.contacts)

    def _deal_section(self) -> None:
        self.layout_.addWidget(section_title(self.tr("The deal")))
        form = self._form()
        self.title_edit = QLineEdit()
        add_row(form, self.errors, "title", self.tr("Deal &title"), self.title_edit)
        self.binding.text(self.title_edit, "title")
        self.owner = QComboBox()
        for m in self.ctx.ui.services.team.list_members():
            self.owner.addItem(f"{m.name} ({m.department})", m.uid)
        add_row(form, self.errors, "owner_uid", self.tr("&Owner"), self.owner)
        self.binding.choice(self.owner, "owner_uid")

    def _need_section(self) -> None:
        self.layout_.addWidget(section_title(self.tr("The need")))
        self.layout_.addWidget(hint_label(self.tr(
            "First what they asked for, then what they really need once you asked why.")))
        self._text_rows([("needs_identified", self.tr("Need &identified")),
                         ("needs_clarified", self.tr("Need c&larified"))])

    def _questions_section(self) -> None:
        self.layout_.addWidget(section_title(self.tr("Probing questions")))
        self.questions = PairListEditor(self.tr("Question"), self.tr("Their answer"), self.tr("Add &question"),
                                        self.tr("question"))
        self.questions.add_bar_widget(TemplateQuestionsButton(
            lambda: {p.first for p in self.questions.pairs()}, self._add_template_questions))
        self.questions.edited.connect(self._questions_edited)
        self.layout_.addWidget(with_error(self.questions, self.errors, "questions"))

    def _objections_section(self) -> None:
        self.layout_.addWidget(section_title(self.tr("Objections and responses")))
        self.objections = PairListEditor(self.tr("Objection"), self.tr("Our response"), self.tr("Add o&bjection"),
                                         self.tr("objection"))
        self.objections.edited.connect(self._objections_edited)
        self.layout_.addWidget(with_error(self.objections, self.errors, "objections"))

    def _text_section(self, title: str, hint: str, rows: list[tuple[str, str]]) -> None:
        self.layout_.addWidget(section_title(title))
        self.layout_.addWidget(hint_label(hint))
        self._text_rows(rows)

    def _text_rows(self, rows: list[tuple[str, str]]) -> None:
        form = self._form()
        for field, label in rows:
            edit = GrowingTextEdit(min_lines=2)
            add_row(form, self.errors, field, label, edit)
            self.binding.text(edit, field)

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.layout_.addLayout(form)
        return form

    # --- the deal in, edits out ------------------------------------------------------------

    def show_deal(self, deal: Deal) -> None:
        self.binding.fill(deal)
        self.questions.set_pairs([Pair(q.uid, q.question, q.answer) for q in deal.questions])
        self.objections.set_pairs([Pair(o.uid, o.objection, o.response) for o in deal.objections])
        try:
            customer = self.ctx.ui.services.customers.get(deal.customer_uid)
        except SalesDeskError:
            customer = None
        self.show_customer(customer)

    def show_customer(self, customer: Customer | None) -> None:
        self.customer_name.setText(customer.name if customer else self.editor.deal.customer_name)
        details = [p for p in (customer.industry, customer.address.replace("\n", ", ")) if p] if customer else []
        self.customer_details.setText("  ·  ".join(details))
        self.customer_details.setVisible(bool(details))
        contacts = CustomerContacts(self.ctx.ui.services, customer.uid) if customer else None
        self.contacts.set_customer(contacts, customer)

    def _questions_edited(self) -> None:
        questions = tuple(DiscoveryQuestion(p.uid, p.first, p.second) for p in self.questions.pairs())
        self.editor.edit(lambda d: replace(d, questions=questions))

    def _objections_edited(self) -> None:
        objections = tuple(Objection(p.uid, p.first, p.second) for p in self.objections.pairs())
        self.editor.edit(lambda d: replace(d, objections=objections))

    def _add_template_questions(self, questions: list[str]) -> None:
        for q in questions:
            self.questions.add_pair(q)


register_step("discovery", DiscoveryStep)

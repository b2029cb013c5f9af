"""Checklist templates for the Settings screen: the shipped defaults, validated edits, new deals use them."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from salesdesk import paths
from salesdesk.domain.errors import NotFoundError, ValidationError
from salesdesk.domain.model import DEFAULT_DEPARTMENTS
from salesdesk.services.app import Services
from salesdesk.services.templates import ChecklistTemplate, ChecklistTemplateService, TemplateItem


def test_the_shipped_templates_cover_the_causes_of_broken_promises() -> None:
    data = json.loads(paths.resource_path("templates", "checklists.json").read_text(encoding="utf-8"))
    text = json.dumps(data).lower()
    for cause in ("existing equipment", "legacy", "technical information", "expectations", "bumping another customer",
                  "training", "break-in", "non-standard", "told us everything"):
        assert cause in text, cause
    for template in data["templates"]:
        assert {i["department"] for i in template["items"]} <= set(DEFAULT_DEPARTMENTS)
        assert any(i["mandatory"] for i in template["items"])


def test_the_shipped_templates_are_listed(services: Services) -> None:
    templates = ChecklistTemplateService(services.ctx).list_templates()
    assert [t.product_line for t in templates] == [
        "Consumables and spare parts", "Equipment and installation", "Software and integration"]
    assert all(t.items and all(i.uid for i in t.items) for t in templates)


def test_a_new_template_is_saved_cleaned_and_used_by_new_deals(services: Services) -> None:
    templates = ChecklistTemplateService(services.ctx)
    saved = templates.save(ChecklistTemplate(
        uid="", name="  Field service  ", product_line="Field service",
        items=(TemplateItem("operations", "Is a technician free in the requested week?", mandatory=True),
               TemplateItem("Accounting", "Is the service contract paid up?", "Check the ledger.")),
    ))
    assert saved.name == "Field service" and saved.uid
    assert [(i.department, i.mandatory) for i in saved.items] == [("Operations", True), ("Accounting", False)]
    assert templates.get("Field service") == saved == templates.get(saved.uid)
    customer = services.customers.add("Acme")
    deal = services.deals.create(customer.uid, "Annual service", product_line="Field service")
    assert [i.question for i in deal.checklist] == [i.question for i in saved.items]
    history = [e for e in services.history.recent() if e.entity == "checklist_template"]
    assert history[0].action == "create" and history[0].new == "Field service"


def test_editing_a_template_keeps_the_items_it_did_not_touch(services: Services) -> None:
    templates = ChecklistTemplateService(services.ctx)
    original = templates.get("Consumables and spare parts")
    edited = replace(original, items=(*original.items[:2], TemplateItem("Inventory control", "Is there a second source?")))
    saved = templates.save(edited)
    assert [i.uid for i in saved.items[:2]] == [i.uid for i in original.items[:2]]
    assert saved.items[2].question == "Is there a second source?"
    assert any(e.entity == "checklist_template" and e.field == "items" for e in services.history.recent())


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ((), "at least one question"),
        ((TemplateItem("Marketing", "Is the brochure ready?"),), "'Marketing', which is not one of the team's departments"),
        ((TemplateItem("Operations", "  "),), "Question 1 is empty"),
        ((TemplateItem("Operations", "Crew free?"), TemplateItem("Operations", "crew  FREE?")), "asked of Operations twice"),
    ],
)
def test_a_template_a_review_could_not_work_with_is_refused(services: Services, items: tuple[TemplateItem, ...],
                                                           message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ChecklistTemplateService(services.ctx).save(ChecklistTemplate("", "New", "New line", items))


def test_two_templates_cannot_share_a_product_line(services: Services) -> None:
    templates = ChecklistTemplateService(services.ctx)
    with pytest.raises(ValidationError, match="already a template for 'Software and integration'"):
        templates.save(ChecklistTemplate("", "Copy", "Software and integration", (TemplateItem("Operations", "Q?"),)))


def test_a_deleted_template_is_gone_but_deals_keep_their_questions(services: Services) -> None:
    templates = ChecklistTemplateService(services.ctx)
    customer = services.customers.add("Acme")
    deal = services.deals.create(customer.uid, "Parts", product_line="Consumables and spare parts")
    templates.delete(templates.get("Consumables and spare parts").uid)
    with pytest.raises(NotFoundError):
        templates.get("Consumables and spare parts")
    assert services.deals.get(deal.ref).checklist == deal.checklist

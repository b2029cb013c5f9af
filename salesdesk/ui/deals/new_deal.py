"""Creating a deal from the "New deal" form, with a new customer if the rep typed a new name."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import Deal, Stage
from salesdesk.services.app import Services
from salesdesk.services.deals import validate_deal
from salesdesk.ui.text import tr


@dataclass(frozen=True)
class NewDealForm:
    customer_uid: str | None  # None: create a customer called customer_name
    customer_name: str
    title: str
    product_line: str
    owner_uid: str | None
    requested_date: date | None
    start_date: date | None


def create_new_deal(services: Services, form: NewDealForm) -> Deal:
    """Check the form, create the customer if it is new, then the deal. Nothing is written on bad input."""
    if form.customer_uid is None and not form.customer_name.strip():
        raise ValidationError(tr("Which customer is this deal for?"), tr("Pick a customer or type a new company name."),
                              field="customer")
    validate_deal(Deal(uid=str(uuid.uuid4()), ref="", title=form.title, customer_uid="", customer_name="",
                       stage=Stage.DISCOVERY, owner_uid=form.owner_uid, version=1, product_line=form.product_line,
                       requested_date=form.requested_date, start_date=form.start_date))
    customer_uid = form.customer_uid
    if customer_uid is None:
        try:
            customer_uid = services.customers.add(form.customer_name).uid
        except ValidationError as exc:
            raise ValidationError(exc.message, exc.hint, field="customer") from None
    return services.deals.create(
        customer_uid, form.title, owner_uid=form.owner_uid, requested_date=form.requested_date,
        start_date=form.start_date, product_line=form.product_line,
    )

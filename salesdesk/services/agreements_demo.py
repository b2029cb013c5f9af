"""Signed agreements for the demo: the recent agreed deals get a letter both sides really signed.

Each one goes through the real ``AgreementService`` (prepare, then sign for both sides), dated when
it would have happened, so the demo shows frozen PDFs that ``salesdesk verify`` accepts, with the
deals' non-standard terms flagged and attributed. Signatures drawn "on screen" are generated
strokes, the same for the same person.
"""

from __future__ import annotations

import math
import random
import struct
import zlib
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import select

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Side
from salesdesk.services.agreements import AgreementService
from salesdesk.services.app import Services
from salesdesk.store.schema import AgreementRevisionRow, DealRowORM

DEMO_STAGES = ("agreed", "kicked_off", "delivering", "delivered")
DEMO_SIGNERS = ("Ana Rossi", "Olivia Brown")
_INK = (0x1B, 0x2F, 0x5E)


def add_demo_agreements(services: Services, *, limit: int = 150, seed: int = 1,
                        today: date | None = None) -> int:
    """Prepare and sign the agreements of up to ``limit`` of the most recent signed-stage deals.

    Deals that already have an agreement revision are left alone. Returns how many were signed.
    """
    refs = demo_agreement_refs(services, limit)
    return sum(sign_demo_agreement(services, ref, i, seed=seed, today=today) for i, ref in enumerate(refs))


def demo_agreement_refs(services: Services, limit: int) -> list[str]:
    """The refs of up to ``limit`` of the most recent signed-stage deals that have no agreement yet."""
    if limit <= 0:
        return []
    with services.store.read() as s:
        has_revision = select(AgreementRevisionRow.id).where(AgreementRevisionRow.deal_id == DealRowORM.id).exists()
        return list(s.scalars(
            select(DealRowORM.ref).where(DealRowORM.stage.in_(DEMO_STAGES), ~has_revision)
            .order_by(DealRowORM.created_at.desc(), DealRowORM.id.desc()).limit(limit)
        ))


def sign_demo_agreement(services: Services, ref: str, index: int, *, seed: int = 1, today: date | None = None) -> bool:
    """Prepare and sign the agreement of deal ``ref``, the ``index``-th of a demo (which seeds its
    dates and signers, so the result does not depend on the order they are signed in). False when
    there is nobody to sign for us, or the letter cannot be written for the deal (no dates yet)."""
    rng = random.Random(seed * 7_919 + index)
    members = services.team.list_members(include_inactive=True)
    signers = [m for m in members if m.name in DEMO_SIGNERS and m.can_sign_agreements] \
        or [m for m in members if m.can_sign_agreements and not m.has_pin]
    if not signers:
        return False
    try:
        _sign_one(services, AgreementService(services.ctx), ref, rng, rng.choice(signers).uid, today or date.today())
    except SalesDeskError:
        return False  # a demo deal the letter cannot be written for: it stays unsigned
    return True


def _moment(day: date, hour: int, today: date) -> datetime:
    day = min(day, today)
    moment = datetime.combine(day, time(hour, 0), tzinfo=UTC)
    return min(moment, datetime.now(UTC))


def _sign_one(services: Services, agreements: AgreementService, ref: str, rng: random.Random, our_signer: str,
              today: date) -> None:
    deal = services.deals.get(ref)
    created = (deal.created_at or datetime.now(UTC)).date()
    prepared_on = created + timedelta(days=rng.randint(5, 8))
    ours_on = prepared_on + timedelta(days=rng.randint(0, 2))
    theirs_on = ours_on + timedelta(days=rng.randint(0, 5))
    agreements.prepare(ref, at=_moment(prepared_on, 9, today))
    member = services.team.get(our_signer)
    at = _moment(ours_on, 11, today)
    agreements.sign(ref, Side.OURS, member_uid=member.uid, method="drawn",
                    image_png=signature_png(member.name), signed_on=at.date(), at=at)
    contacts = services.customers.get(deal.customer_uid).contacts
    at = _moment(theirs_on, 15, today)
    if contacts:
        contact = contacts[0]
        if rng.random() < 0.5:
            agreements.sign(ref, Side.THEIRS, contact_uid=contact.uid, method="paper", signed_on=at.date(), at=at)
        else:
            agreements.sign(ref, Side.THEIRS, contact_uid=contact.uid, method="drawn",
                            image_png=signature_png(contact.name), signed_on=at.date(), at=at)
    else:
        agreements.sign(ref, Side.THEIRS, signer_name=f"For {deal.customer_name}", method="paper",
                        signed_on=at.date(), at=at)


# ---------------------------------------------------------------------------- a drawn signature


@cache
def signature_png(name: str, *, width: int = 420, height: int = 130) -> bytes:
    """A handwritten-looking signature for ``name``: one slanted cursive stroke per word, each with a
    tall capital, loops and humps of varying height, and a flourish under the last. The ink is
    thinner where the pen moves fast. Deterministic for a name; pure Python, no imaging library."""
    rng = random.Random(zlib.crc32(name.encode("utf-8")))
    words = [w for w in name.split() if w][:3] or ["x"]
    slant = rng.uniform(0.22, 0.42)
    base = height * 0.64
    total = sum(max(2, min(8, len(w))) for w in words) + 1.4 * len(words)
    unit = (width - 70) / total
    x = 24.0
    strokes: list[list[tuple[float, float]]] = []
    for word in words:
        points: list[tuple[float, float]] = []
        cap_h = height * rng.uniform(0.42, 0.56)
        for k in range(90):  # the capital: up, over and down into the first letter
            t = k / 89
            points.append((x + unit * (0.2 + 0.9 * t) + unit * 0.5 * math.sin(t * math.pi * 1.6),
                           base - cap_h * math.sin(t * math.pi * 0.95)))
        x = points[-1][0]
        letters = max(2, min(8, len(word)))
        for i in range(letters):
            loop = rng.uniform(0.05, 0.55)  # how far the pen travels back: a loop, or just a hump
            tall = height * (rng.uniform(0.3, 0.45) if rng.random() < 0.25 else rng.uniform(0.1, 0.2))
            for k in range(48):
                t = k / 48
                phase = 2 * math.pi * t
                points.append((x + unit * t - loop * unit * math.sin(phase),
                               base - tall * (1 - math.cos(phase)) / 2 + 2.5 * math.sin(i + t)))
            x += unit
        strokes.append(points)
        x += unit * 0.55  # the pen lifts between words
    last = strokes[-1]
    xe, ye = last[-1]
    swash = []
    for k in range(140):  # a flourish that sweeps back under the name and out
        t = k / 139
        swash.append((xe + (width - 20 - xe) * t - (xe - 30) * math.sin(t * math.pi) * 0.85,
                      ye + 6 + 22 * math.sin(t * math.pi * 0.85) * (1 - 0.4 * t)))
    last.extend(swash)
    slanted = [[(px + (base - py) * slant, py) for px, py in stroke] for stroke in strokes]
    return _stroke_png(slanted, width, height)


def _stroke_png(strokes: list[list[tuple[float, float]]], width: int, height: int) -> bytes:
    alpha = bytearray(width * height)
    segments = [seg for points in strokes for seg in zip(points, points[1:], strict=False)]
    for (x1, y1), (x2, y2) in segments:
        speed = math.hypot(x2 - x1, y2 - y1)
        radius = max(0.9, 2.3 - 0.35 * speed)
        steps = max(1, int(speed / 0.6))
        for s in range(steps):
            cx, cy = x1 + (x2 - x1) * s / steps, y1 + (y2 - y1) * s / steps
            for py in range(max(0, int(cy - radius - 1)), min(height, int(cy + radius + 2))):
                for px in range(max(0, int(cx - radius - 1)), min(width, int(cx + radius + 2))):
                    cover = radius + 0.5 - math.hypot(px + 0.5 - cx, py + 0.5 - cy)
                    if cover > 0:
                        i = py * width + px
                        alpha[i] = max(alpha[i], min(255, round(255 * cover)))
    rgba = bytearray(bytes(_INK) + b"\x00") * (width * height)
    rgba[3::4] = alpha
    stride = 4 * width
    rows = b"".join(b"\x00" + rgba[y * stride:(y + 1) * stride] for y in range(height))  # filter 0 per row

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))

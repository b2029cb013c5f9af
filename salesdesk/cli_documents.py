"""``salesdesk render``: a deal's documents as PDF files.

Each kind of document is one entry in ``DOCUMENT_KINDS``. The file is written under a temporary
name and renamed into place, so a refusal or a failure never leaves a file (or half of one) behind.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from salesdesk import cli
from salesdesk.domain.errors import ValidationError


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document the CLI can render: what it is, and how to make its bytes."""

    description: str
    render: Callable[[Any, str], bytes]  # (Services, deal ref) -> PDF bytes


def _quote(services: Any, ref: str) -> bytes:
    from salesdesk.services.quote import QuoteService

    return QuoteService(services.ctx).generate(ref)


def _feasibility(services: Any, ref: str) -> bytes:
    from salesdesk.services.quote import QuoteService

    return QuoteService(services.ctx).feasibility_report(ref)


def _agreement(services: Any, ref: str) -> bytes:
    from salesdesk.services.agreements import AgreementService

    return AgreementService(services.ctx).printable(ref)


def _action_plan(services: Any, ref: str) -> bytes:
    from salesdesk.services.agreements import AgreementService

    return AgreementService(services.ctx).action_plan(ref)


def _brief(services: Any, ref: str) -> bytes:
    from salesdesk.services.agreements import AgreementService

    return AgreementService(services.ctx).brief(ref)


#: The documents ``salesdesk render --doc`` knows. Adding a kind is one entry here.
DOCUMENT_KINDS: dict[str, DocumentKind] = {
    "quote": DocumentKind("the quote (cleared deals only; padded dates only)", _quote),
    "feasibility": DocumentKind("the internal feasibility report (raw and padded schedule)", _feasibility),
    "agreement": DocumentKind("the letter of agreement (quoted deals on; the signed PDF as frozen, "
                              "else the current draft)", _agreement),
    "action-plan": DocumentKind("the action plan: who does what by when", _action_plan),
    "brief": DocumentKind("the one-page meeting brief (internal)", _brief),
}


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` in one step: the file is either complete or not there at all."""
    folder = target.parent
    if not folder.is_dir():
        raise ValidationError(f"The folder {folder} does not exist.", "Create it first or choose another --out.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="REF", help="the deal, e.g. D-2026-0001")
    p.add_argument("--doc", required=True, choices=sorted(DOCUMENT_KINDS),
                   help="; ".join(f"{name}: {kind.description}" for name, kind in DOCUMENT_KINDS.items()))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")


def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    target = Path(args.out).expanduser()
    if target.is_dir():
        raise ValidationError(f"{target} is a folder.", "Give a file name, e.g. --out quote.pdf.")
    kind = DOCUMENT_KINDS[args.doc]
    services = cli.open_services(args)
    try:
        pdf = kind.render(services, args.ref)
    finally:
        services.close()
    write_atomically(target, pdf)
    print(f"Wrote the {args.doc} of {args.ref} to {target} ({len(pdf):,} bytes).", file=out)
    return cli.EXIT_OK


cli.register("render", "render a deal's document as PDF (quote, agreement, action plan, brief, feasibility "
             "report)", add_arguments, cmd_render)


# --- salesdesk verify ----------------------------------------------------------------------------


def add_verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.pdf", help="a printed-and-scanned or exported agreement PDF")


def cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    """``genuine`` (exit 0), ``altered`` or ``unknown`` (exit 1), with what the record says."""
    from salesdesk.documents.common import format_date
    from salesdesk.services.agreement_files import MAX_VERIFY_BYTES
    from salesdesk.services.agreements import AgreementService

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise ValidationError(f"There is no file {source}.", "Give the path of the PDF to check.")
    if source.stat().st_size > MAX_VERIFY_BYTES:
        pdf = b""  # far too large to be an agreement: reported as unknown without reading it
    else:
        pdf = source.read_bytes()
    services = cli.open_services(args)
    try:
        result = AgreementService(services.ctx).verify(pdf) if pdf else None
    finally:
        services.close()
    if result is None or result.status == "unknown":
        reason = result.message if result else "The file is far larger than any agreement SalesDesk writes."
        print(f"unknown: {reason}", file=out)
        return cli.EXIT_REFUSED
    what = f"revision {result.revision} of {result.deal_ref} ({result.doc_id})"
    if result.status == "altered":
        print(f"altered: {what} — the file differs from the signed copy on record; do not rely on it.", file=out)
        return cli.EXIT_REFUSED
    signed = format_date(result.signed_at.astimezone().date()) if result.signed_at else "an unknown date"
    print(f"genuine: {what}, signed by {' and '.join(result.signers)} on {signed}"
          + (" (since superseded by a later revision)" if result.superseded else "") + ".", file=out)
    return cli.EXIT_OK


cli.register("verify", "check an agreement PDF against the record: genuine, altered or unknown",
             add_verify_arguments, cmd_verify)

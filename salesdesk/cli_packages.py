"""``salesdesk export | import | backup | restore``: deal packages on the shared drive, and backups.

Refusals (a missing folder, a conflict, a damaged package or backup) exit with status 1 and say
what to do; bad usage exits with 2.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from salesdesk import cli, paths
from salesdesk.domain.errors import ConflictError, RefusedError, ValidationError


def _shared_folder(args: argparse.Namespace, services: object) -> Path:
    if args.to:
        return Path(args.to).expanduser()
    folder = services.settings.load().shared_folder  # type: ignore[attr-defined]
    if not folder:
        raise ValidationError("No folder to export to.", "Give one with --to DIR, or set the shared folder in Settings.")
    return Path(folder).expanduser()


# --- export ---------------------------------------------------------------------------------------


def add_export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", nargs="?", metavar="REF", help="the deal to export, e.g. D-2026-0001")
    p.add_argument("--all", action="store_true", help="export every deal")
    p.add_argument("--changed", action="store_true", help="with --all: only deals changed since their last export")
    p.add_argument("--to", metavar="DIR", help="the folder to write the package(s) into (default: the shared folder)")


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from salesdesk.services.package import PackageService

    if bool(args.ref) == bool(args.all):
        raise cli.UsageError("name one deal (REF) or use --all")
    if args.changed and not args.all:
        raise cli.UsageError("--changed goes with --all")
    services = cli.open_services(args)
    try:
        folder = _shared_folder(args, services)
        packages = PackageService(services.ctx)
        if args.ref:
            print(f"exported {args.ref} to {packages.export_deal(args.ref, folder)}", file=out)
            return cli.EXIT_OK
        total = 0
        for done, total, ref in packages.export_all(folder, changed_since_last=args.changed):
            if done:
                print(f"exported {ref} ({done:,} of {total:,})", file=out)
        what = "changed deal" if args.changed else "deal"
        print(f"{total:,} {what}{'s' if total != 1 else ''} exported to {folder}", file=out)
    finally:
        services.close()
    return cli.EXIT_OK


# --- import ---------------------------------------------------------------------------------------


def add_import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="a package folder, or its deal.json")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--theirs", dest="resolution", action="store_const", const="theirs",
                     help="when both copies changed: take the package's")
    how.add_argument("--ours", dest="resolution", action="store_const", const="ours",
                     help="when both copies changed: keep this computer's")
    how.add_argument("--copy", dest="resolution", action="store_const", const="copy",
                     help="import the package as a separate deal (new id and ref)")


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from salesdesk.services.package import PackageService

    services = cli.open_services(args)
    try:
        try:
            result = PackageService(services.ctx).import_package(Path(args.path), resolution=args.resolution)
        except ConflictError as exc:
            raise ConflictError(
                exc.message,
                "Nothing was imported. Run again with --theirs (take the package), --ours (keep this computer's) "
                "or --copy (import it as a separate deal).",
                fields=exc.fields,
            ) from None
    finally:
        services.close()
    print(result.message, file=out)
    return cli.EXIT_OK


# --- backup and restore ---------------------------------------------------------------------------


def add_backup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", metavar="DIR", help="write the backup into DIR and keep it (default: the backups "
                                                "folder, where the oldest automatic backups are removed)")


def _database(args: argparse.Namespace) -> Path:
    """The database file the command works on; a server database is refused (it has pg_dump)."""
    from salesdesk.services.app import database_url
    from salesdesk.services.backup import database_file, postgres_refusal

    database = database_file(database_url(args.db, dict(os.environ)))
    if database is None:
        raise postgres_refusal()
    return database


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from salesdesk.services.backup import BackupService

    _database(args)
    services = cli.open_services(args)
    try:
        path = BackupService(services.ctx).backup_now(args.to)
    finally:
        services.close()
    print(f"backup written to {path}", file=out)
    return cli.EXIT_OK


def add_restore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the backup to restore (a .db file)")
    p.add_argument("--yes", action="store_true", help="really replace the current database with the backup")


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from salesdesk.services.backup import describe_backup, restore_file

    database = _database(args)
    backup = Path(args.file).expanduser()
    info = describe_backup(backup)
    for line in info.summary():
        print(line, file=out)
    if not args.yes:
        raise RefusedError(f"Nothing was restored; {database} is unchanged.",
                           "Run again with --yes to replace the current database with this backup.")
    kept = restore_file(database, backup, safety_folder=paths.backup_dir())
    print(f"restored {database} from {backup}", file=out)
    if kept:
        print(f"the database as it was is kept at {kept}", file=out)
    return cli.EXIT_OK


cli.register("export", "write deal packages (PDFs, terms, action items, deal.json) to a folder",
             add_export_arguments, cmd_export)
cli.register("import", "bring in a deal package exported on another computer", add_import_arguments, cmd_import)
cli.register("backup", "back up the database file now", add_backup_arguments, cmd_backup)
cli.register("restore", "replace the database with a backup (the current one is kept aside)",
             add_restore_arguments, cmd_restore)

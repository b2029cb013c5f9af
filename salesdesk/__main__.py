"""Entry point: ``salesdesk`` / ``python -m salesdesk``.

With a command (``demo``, ``deals``, ``check``, ``leadtime`` …) it runs the command-line face and
never loads Qt. Without one it starts the desktop app — quickly: the app's own few options are read
without loading the command-line commands, which would cost a tenth of a second before the window shows.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from salesdesk import paths


def app_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options of a plain app start (``--db``, ``--data-dir``, ``--demo``, ``--smoke``), or None
    when ``argv`` holds anything else (a command, ``--help``, ``--version``, ``--self-test``, a mistake):
    the full command-line parser reads those. (Building an argparse parser costs more than reading these.)"""
    options: dict[str, object] = {"db": None, "data_dir": None, "demo": False, "smoke": False}
    args = iter(argv)
    for arg in args:
        name, has_value, value = arg.partition("=")
        if name in ("--db", "--data-dir"):
            if not has_value:
                value = next(args, "")
                if not value or value.startswith("-"):
                    return None
            options[name[2:].replace("-", "_")] = value
        elif arg in ("--demo", "--smoke"):
            options[arg[2:]] = True
        else:
            return None
    return argparse.Namespace(command=None, self_test=False, **options)


def setup_logging(*, to_file: bool = True) -> None:
    root = logging.getLogger()
    if root.handlers:
        return
    root.setLevel(logging.INFO)
    handler: logging.Handler
    if to_file:
        from logging.handlers import RotatingFileHandler

        try:
            handler = RotatingFileHandler(
                paths.log_dir() / "salesdesk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
            )
        except OSError:
            handler = logging.StreamHandler(sys.stderr)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = app_options(argv)
    if args is None:
        from salesdesk import cli

        args, _rest = cli.build_parser().parse_known_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    if args.command:
        from salesdesk import cli

        setup_logging(to_file=True)
        return cli.run(argv)
    if args.self_test:
        setup_logging(to_file=False)
        from salesdesk.services.selftest import self_test

        return self_test(sys.stdout)
    if args.demo:
        import tempfile

        # A throwaway demo: its own folder, removed when the app closes.
        demo_dir = tempfile.mkdtemp(prefix="salesdesk-demo-")
        paths.set_data_dir(demo_dir)
        os.environ["SALESDESK_DEMO"] = "1"
    from salesdesk.ui.app import run_app

    # The log file is opened once the window shows: its module takes a tenth of the window's start-up.
    return run_app(args, when_shown=lambda: setup_logging(to_file=True))


if __name__ == "__main__":
    sys.exit(main())

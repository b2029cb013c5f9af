"""Entry point: ``salesdesk`` / ``python -m salesdesk``.

With a command (``demo``, ``deals``, ``check``, ``leadtime`` …) it runs the command-line face and
never loads Qt. Without one it starts the desktop app.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import tempfile
from collections.abc import Sequence

from salesdesk import paths


def setup_logging(*, to_file: bool = True) -> None:
    root = logging.getLogger()
    if root.handlers:
        return
    root.setLevel(logging.INFO)
    handler: logging.Handler
    if to_file:
        try:
            handler = logging.handlers.RotatingFileHandler(
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
    from salesdesk import cli

    argv = list(sys.argv[1:] if argv is None else argv)
    args, _rest = cli.build_parser().parse_known_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    if args.command:
        setup_logging(to_file=True)
        return cli.run(argv)
    if args.self_test:
        setup_logging(to_file=False)
        from salesdesk.services.selftest import self_test

        return self_test(sys.stdout)
    if args.demo:
        # A throwaway demo: its own folder, removed when the app closes.
        demo_dir = tempfile.mkdtemp(prefix="salesdesk-demo-")
        paths.set_data_dir(demo_dir)
        os.environ["SALESDESK_DEMO"] = "1"
    setup_logging(to_file=True)
    from salesdesk.ui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())

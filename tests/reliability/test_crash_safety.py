"""An acknowledged save survives a crash: a writer killed with SIGKILL at random moments loses nothing
it reported as saved, and the database file stays sound.

A child process opens the services on a SQLite file and saves in a loop (new deals, and edits that
touch the deal row and its lines in one transaction); after each save the service call returned,
it prints ``ack <ref> <version> <note>``. The parent kills it at a random moment, collects every
line it printed, and starts another — ``SALESDESK_CRASH_KILLS`` times (default 50).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

KILLS = int(os.environ.get("SALESDESK_CRASH_KILLS", "50"))
ROOT = Path(__file__).resolve().parents[2]

CHILD = r'''
import random
import sys
import uuid
from dataclasses import replace
from decimal import Decimal

from salesdesk.domain.model import DealLine
from salesdesk.services.app import Services
from salesdesk.services.deals import DealQuery

url, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
services = Services.open(url, actor=f"crash-run-{seed}")
customers = services.customers.list_customers()
customer = customers[0] if customers else services.customers.add("Crash Test Ltd")
refs = [row.ref for row in services.deals.list_rows(DealQuery(limit=40))]
print("ready", flush=True)
n = 0
while True:
    n += 1
    note = f"run {seed} save {n}"
    if not refs or rng.random() < 0.3:
        deal = services.deals.create(customer.uid, f"Crash test {seed}-{n}", product_line="Packaging lines")
        refs.append(deal.ref)
        print(f"ack {deal.ref} {deal.version} -", flush=True)
        continue
    deal = services.deals.get(rng.choice(refs))
    line = DealLine(str(uuid.uuid4()), note, Decimal(rng.randint(1, 50)), Decimal("12.50"))
    saved = services.deals.save(replace(deal, needs_clarified=note, lines=(line,)))
    print(f"ack {saved.ref} {saved.version} {note}", flush=True)
'''


@dataclass
class Acknowledged:
    """The newest save of one deal the child reported as done."""

    version: int
    note: str  # "-" for the creation


@dataclass
class Figures:
    kills: int = 0
    before_ready: int = 0
    saves: int = 0
    acknowledged: dict[str, Acknowledged] = field(default_factory=dict)


class Child:
    """One writer process; its stdout lines arrive on a queue (None at end of file)."""

    def __init__(self, script: Path, url: str, seed: int, stderr: Path) -> None:
        self.stderr_path = stderr
        self._stderr = stderr.open("w")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, str(script), url, str(seed)],
            stdout=subprocess.PIPE, stderr=self._stderr, text=True, cwd=ROOT, env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next_line(self, timeout: float) -> str | None:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the writer printed nothing for {timeout} s; stderr: {self.stderr()}")

    def kill(self) -> list[str]:
        """SIGKILL it and return every complete line it printed before dying."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        rest = []
        while (line := self.next_line(timeout=30)) is not None:
            rest.append(line)
        self._stderr.close()
        if self.proc.returncode != -signal.SIGKILL:
            pytest.fail(f"the writer stopped by itself (status {self.proc.returncode}): {self.stderr()}")
        return [line for line in rest if line.endswith("\n")]  # a half-written line was never an ack

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-3000:]


def _record(figures: Figures, line: str) -> None:
    if not line.startswith("ack "):
        return
    _ack, ref, version, note = line.rstrip("\n").split(" ", 3)
    figures.saves += 1
    known = figures.acknowledged.get(ref)
    if known is None or int(version) >= known.version:
        figures.acknowledged[ref] = Acknowledged(int(version), note)


def _run_and_kill(child: Child, rng: random.Random, figures: Figures) -> None:
    if rng.random() < 0.15:
        # Sometimes while it is still starting: opening, migrating or seeding the database.
        time.sleep(rng.uniform(0, 1.2))
        ready = False
    else:
        ready = child.next_line(timeout=120) == "ready\n"
        for _ in range(rng.randint(0, 15)):
            line = child.next_line(timeout=60)
            if line is None:
                break
            _record(figures, line)
        time.sleep(rng.uniform(0, 0.04))  # land somewhere inside the next save
    lines = child.kill()
    figures.kills += 1
    figures.before_ready += 0 if ready or "ready\n" in lines else 1
    for line in lines:
        _record(figures, line)


def test_every_acknowledged_save_survives_a_kill_and_the_file_stays_sound(tmp_path: Path) -> None:
    from salesdesk.services.app import Services

    seed = int(os.environ.get("SALESDESK_CRASH_SEED", random.randrange(1_000_000)))
    rng = random.Random(seed)
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    script = tmp_path / "writer.py"
    script.write_text(CHILD, encoding="utf-8")
    figures = Figures()
    started = time.perf_counter()
    for run in range(KILLS):
        _run_and_kill(Child(script, url, run, tmp_path / f"writer-{run}.err"), rng, figures)

    services = Services.open(url, actor="checker")
    try:
        assert services.store.integrity_check() == []
        for ref, ack in figures.acknowledged.items():
            deal = services.deals.get(ref)  # NotFoundError here would be a lost creation
            assert deal.version >= ack.version, f"{ref} is at version {deal.version}, but {ack.version} was acknowledged"
            if deal.version == ack.version and ack.note != "-":
                # Nothing newer reached the disk, so this is exactly the acknowledged save, lines and all.
                assert deal.needs_clarified == ack.note
                assert [line.description for line in deal.lines] == [ack.note]
        deals_in_file = services.deals.count()
    finally:
        services.close()
    print(
        f"\ncrash safety (seed {seed}): {figures.kills} kills survived ({figures.before_ready} while starting), "
        f"{figures.saves} acknowledged saves on {len(figures.acknowledged)} deals checked, "
        f"{deals_in_file} deals in the file, integrity ok, {time.perf_counter() - started:.0f} s"
    )
    assert figures.saves > 0

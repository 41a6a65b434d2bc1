"""Beat runs exactly once, however many are started (issue 23; config.beat).

Two beat processes with the production settings on one Redis, each with an entry due
every second: only one of them sends – every message in the queue comes from the same
process. Killed with SIGKILL (no chance to give the lock back), the leader's lock
expires and the stand-by takes over; the dead one sent nothing more."""

import json
import os
import signal
import sys
import time
import uuid
from pathlib import Path

import pytest

from config.celery_app import app
from tests.stack.stack import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).with_name("beat_script.py")
TTL = 3


def _origins(client, queue):
    """The sending process of each message, oldest first (kombu LPUSHes: newest at 0)."""
    out = []
    for raw in reversed(client.lrange(queue, 0, -1)):
        message = json.loads(raw)
        out.append(message["headers"]["origin"].split("@")[0].removeprefix("gen"))
    return out


def test_two_beats_send_once_and_the_stand_by_takes_over(services, nodes):
    queue = f"vagen-beat-test-{uuid.uuid4().hex[:8]}"
    beats = []
    for name in ("1", "2"):
        node = nodes(f"beat-{name}")
        env = services.env("beat", node_dir=node.path, VAGEN_BEAT_LOCK_TTL=str(TTL))
        beats.append(
            node.start(
                [sys.executable, str(SCRIPT), queue, str(node.path / "schedule")], env, "beat"
            )
        )
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        try:
            wait_for(lambda: len(_origins(client, queue)) >= 4, timeout=40, what="4 sends")
            time.sleep(2)
            origins = _origins(client, queue)
            assert len(set(origins)) == 1, origins
            leader_pid = int(origins[0])
            leader = next(b for b in beats if b.pid == leader_pid)
            standby = next(b for b in beats if b.pid != leader_pid)
            # About one per second – not two (both beats would send each entry).
            first_wave = len(origins)

            os.killpg(leader.pid, signal.SIGKILL)
            leader.wait(10)
            killed_at = len(_origins(client, queue))
            wait_for(
                lambda: str(standby.pid) in _origins(client, queue),
                timeout=TTL + 20,
                what="the stand-by to take over",
            )
            time.sleep(2)
            after = _origins(client, queue)
            assert set(after[killed_at:]) == {str(standby.pid)}
            assert set(after[:killed_at]) == {str(leader_pid)}
            assert first_wave >= 4
        finally:
            client.delete(queue)

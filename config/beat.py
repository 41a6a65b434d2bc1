"""Celery beat that runs at most once across machines (issue 23).

Compose runs one ``beat`` service. If a second beat is ever started – a scaled service,
a second machine started from the same file, an upgrade that overlaps the old container
– two schedulers would each send every periodic task. ``LockedScheduler`` makes the
second one a stand-by: before each tick a beat must hold the Redis lock
``vagen:beat:leader`` (``SET NX`` with an expiry, renewed on every tick by its holder
only). A stand-by checks every few seconds and takes over when a dead leader's lock
expires (``VAGEN_BEAT_LOCK_TTL`` seconds). The tasks are idempotent anyway, so the
overlap of a takeover is harmless; the lock keeps the normal case to exactly one.

Used only with a Redis broker (settings); ``make run`` starts one beat by honcho.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

LOCK_KEY = "vagen:beat:leader"

# Renew only our own lock: compare the token, then extend (atomically, in Redis).
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class LockedScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        from django.conf import settings

        self.lock_ttl = int(getattr(settings, "VAGEN_BEAT_LOCK_TTL", 30))
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.is_leader: bool | None = None  # unknown until the first tick
        import redis

        self.redis = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_timeout=5, socket_connect_timeout=5
        )
        super().__init__(*args, **kwargs)

    def _hold_lock(self) -> bool:
        ttl_ms = self.lock_ttl * 1000
        try:
            if self.is_leader and self.redis.eval(_RENEW, 1, LOCK_KEY, self.token, ttl_ms):
                return True
            if self.redis.set(LOCK_KEY, self.token, nx=True, px=ttl_ms):
                return True
        except Exception as error:  # noqa: BLE001 – Redis away: nobody may send
            logger.warning("beat: lock unavailable (%s); not sending", type(error).__name__)
        return False

    def tick(self, *args, **kwargs):
        holding = self._hold_lock()
        if holding != self.is_leader:
            logger.warning("beat %s: %s", self.token, "leader" if holding else "stand-by")
            self.is_leader = holding
        if not holding:
            # A stand-by looks again well within the lock's lifetime.
            return min(5.0, self.lock_ttl / 3)
        interval = super().tick(*args, **kwargs)
        # Renew before the lock can expire, however long the next entry is away.
        return min(interval, self.lock_ttl / 3)

    def close(self):
        try:
            if self.is_leader:
                self.redis.eval(_RELEASE, 1, LOCK_KEY, self.token)
        except Exception:  # noqa: BLE001, S110 – it expires on its own
            pass
        super().close()

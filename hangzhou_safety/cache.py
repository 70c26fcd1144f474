"""The platform's use of the cache: a Redis backend that keeps its client, a fixed-window
hit counter, and generations for responses cached until their data changes.

- ``RedisCache``: Django's Redis backend builds a new ``redis.Redis`` object (with its
  table of some 170 response callbacks) on every cache call; that was 0.2 ms of each
  throttled request, more than the round trip itself. This one builds it once per
  connection pool (a ``redis.Redis`` is safe to share between threads; the pool
  reconnects after a fork).
- ``count_hit(key, window)``: one counter per window (``INCR`` + ``EXPIRE NX`` in one
  round trip on Redis; ``NX`` needs Redis 7, as docker-compose.yml runs), for the
  throttles. DRF's own throttle keeps the list of every
  hit's timestamp and rewrites it on each request, which grows with the rate.
- ``generation(name)`` / ``bump(name)``: a number that moves whenever the data behind a
  cached answer changes (a workflow bumps it on commit, see ``Workflow.on_change``);
  cache keys carry it, so a change makes every older entry unreachable at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)
T = TypeVar("T")

GENERATION_PREFIX = "generation:"
#: Every generation name in use (``named_generation``); the test suite bumps them all
#: before each test, so no answer cached by one test is served to another.
GENERATIONS: set[str] = set()


def named_generation(name: str) -> str:
    GENERATIONS.add(name)
    return name


class _SharedClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _SharedClient

    def _counting(self, counter: str, window: int) -> Any:
        """A pipeline that counts one hit on ``counter`` (its first two replies)."""
        raw = self.make_and_validate_key(counter)
        pipe = self._cache.get_client(write=True).pipeline(transaction=False)
        pipe.incr(raw)
        pipe.expire(raw, window, nx=True)
        return pipe

    def count_hit(self, counter: str, window: int) -> int:
        hits, _ = self._counting(counter, window).execute()
        return int(hits)

    def bump(self, key: str, seed: int) -> int:
        """``SET key seed NX`` and ``INCR`` in one round trip: a missing generation
        starts at ``seed`` (see ``_seed``). The serializer stores integers as they are,
        so ``get`` reads the number back."""
        raw = self.make_and_validate_key(key)
        pipe = self._cache.get_client(write=True).pipeline(transaction=False)
        pipe.set(raw, seed, nx=True)
        pipe.incr(raw)
        return int(pipe.execute()[1])

    def count_and_get_many(self, counter: str, window: int,
                           keys: list[str]) -> tuple[int, dict[str, Any]]:
        """``count_hit(counter, window)`` and ``get_many(keys)`` in one round trip."""
        pipe = self._counting(counter, window)
        pipe.mget([self.make_and_validate_key(key) for key in keys])
        hits, _, values = pipe.execute()
        loads = self._cache._serializer.loads  # type: ignore[attr-defined]
        return int(hits), {key: loads(value) for key, value in zip(keys, values, strict=True)
                           if value is not None}


def count_hit(key: str, window: int) -> int:
    """Count one hit on ``key`` in the current window of ``window`` seconds; returns
    the hits so far in that window (the first hit opens the window)."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return backend.count_hit(key, window)
    # Any other backend (tests may configure one): add-then-incr, not atomic across
    # the window's expiry, which the except branch repairs.
    if cache.add(key, 1, window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def count_and_get_many(counter: str, window: int,
                       keys: list[str]) -> tuple[int, dict[str, Any]]:
    """A hit counted on ``counter`` and the values of ``keys``: one round trip on Redis."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return backend.count_and_get_many(counter, window, keys)
    return count_hit(counter, window), cache.get_many(keys)


def generation(name: str) -> int:
    """The current generation; 0 while it has never been bumped (or was flushed)."""
    value = cache.get(GENERATION_PREFIX + name)
    return int(value) if value is not None else 0


def _seed() -> int:
    # A generation that went missing (evicted, flushed) must not start again at a
    # number it had before: a process-local memo (memo_by_generation) would take an
    # old entry for current. Microseconds of the clock never repeat an earlier life's.
    return time.time_ns() // 1000


def bump(name: str) -> None:
    """Move ``name``'s generation on; every key built with the old one is dead.

    Called inside the transaction of a legal step (a publication, a withdrawal): an
    unreachable cache must not refuse the step, so the failure is logged as an error
    and the stale answers live at most API_RESPONSE_CACHE_SECONDS."""
    key = GENERATION_PREFIX + name
    backend = caches[DEFAULT_CACHE_ALIAS]
    try:
        if isinstance(backend, RedisCache):
            backend.bump(key, _seed())
            return
        cache.add(key, _seed(), None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.add(key, _seed(), None)
    except Exception:  # noqa: BLE001 - any cache failure (connection, timeout)
        logger.exception("cache generation %s not bumped: cached answers may be stale "
                         "for up to API_RESPONSE_CACHE_SECONDS", name)


#: ``memo_by_generation``'s values: (name, generation, key) → (computed at, value).
_MEMO: dict[tuple[str, int, str], tuple[float, Any]] = {}
MEMO_LIMIT = 1000


def memo_by_generation(name: str, key: str, compute: Callable[[], T], *,
                       seconds: float = 300) -> T:
    """``compute()`` once per process for ``key`` while generation ``name`` stays the
    same, for at most ``seconds`` (writes that send no signal, such as a data migration,
    are seen after that). For small reference reads drawn on every page view (the
    registry filter's places and authorities: two queries, about 3 ms). One cache read
    per call; with the cache unreachable it computes every time."""
    try:
        current = generation(name)
    except Exception:  # noqa: BLE001 - the page must not fail with the cache
        logger.warning("cache unreachable: %s computed without memo", name)
        return compute()
    if current == 0:
        return compute()  # never bumped or flushed: nothing to tell a change by
    now = time.monotonic()
    slot = (name, current, key)
    found = _MEMO.get(slot)
    if found is not None and now - found[0] < seconds:
        return found[1]  # type: ignore[no-any-return]
    value = compute()
    if len(_MEMO) >= MEMO_LIMIT:
        _MEMO.clear()  # old generations and keys; a rebuild costs one compute each
    _MEMO[slot] = (now, value)
    return value

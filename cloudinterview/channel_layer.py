"""channels-redis with a Redis connection pool that waits for a free connection instead of failing.

redis-py 8's asyncio ConnectionPool allows 100 connections and then raises MaxConnectionsError.
channels-redis 4.3 builds that pool itself (`ConnectionPool.from_url(address, **host)`), so a burst
of more than 100 concurrent commands in one process fails: 1,000 sockets closing at once lost 766 of
their group_discard calls, leaving stale members that every group_send then writes to. A blocking
pool queues those commands for at most `timeout` seconds over a bounded number of connections.

redis-py 8 also reads with a 5-second socket timeout by default, the same as channels-redis's BRPOP
timeout: on a busy event loop the idle receive raised TimeoutError and took its consumer down. Reads
get a margin beyond BRPOP's wait unless the host entry sets `socket_timeout` itself.

All sockets of a process share one Redis queue, and one receive at a time pops from it for all of them. When
that receive is cancelled (its socket disconnects) while its pop is answered, channels-redis 4.3 drops the
message it popped, which was for another socket: it backs a message up only after the pop returns. Here the pop
outlives the cancellation and a message it took goes back to the queue for the next receive.

That receive also made every socket's wait two tasks, an `asyncio.wait` and a race for the process's lock, rebuilt
after every message: one event to 1,000 sockets of a session (one Redis message naming them all) woke 1,000 waits
that each built and cancelled tasks on Daphne's loop, and a message to a single socket cost four round trips to
Redis (restore the backup, pop, back up, clean). Here one pump per process and event loop pops the process's
queue in batches and puts each message in its sockets' inboxes; a socket's receive only waits on its inbox
(docs/benchmarks.md, "Channel layer").
"""

import asyncio
from collections import OrderedDict
from typing import Any

from channels_redis.core import BoundedQueue, ChannelLock
from channels_redis.core import RedisChannelLayer as CoreRedisChannelLayer
from redis.asyncio import BlockingConnectionPool


class _ChannelLock(ChannelLock):
    """channels-redis's per-channel lock counts a waiter that is cancelled before it gets the lock (a socket
    closing) for ever, so the lock is never dropped when free. In one process with one event loop that only
    leaks; in tests, each with its own loop, the lock outlived its loop and the next test's sockets failed on it."""

    async def acquire(self, channel: str) -> bool:
        try:
            return await super().acquire(channel)
        except asyncio.CancelledError:
            self.wait_counts[channel] -= 1
            if self.wait_counts[channel] < 1 and not self.locks[channel].locked():
                del self.locks[channel]
                del self.wait_counts[channel]
            raise


# Messages one pop of the process's queue takes at most; and how many closed sockets are remembered, so a message
# that arrives for one after it closed (its group's events sent just before it left) is dropped, not kept.
PUMP_BATCH = 500
REMEMBERED_CLOSED = 10_000


class _PumpFailed:
    """Put in every inbox when the pump's connection fails, so each waiting socket sees the error."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class RedisChannelLayer(CoreRedisChannelLayer):
    """Host entries are `{"address": url, "max_connections": n, "timeout": seconds}`."""

    # Messages popped by receives that did not finish go back to the queue, in order, before every pop
    # (channels-redis's own first step).
    RESTORE_BACKUP = """
        local backed_up = redis.call('ZRANGE', ARGV[2], 0, -1, 'WITHSCORES')
        for i = #backed_up, 1, -2 do
            redis.call('ZADD', ARGV[1], backed_up[i], backed_up[i - 1])
        end
        redis.call('DEL', ARGV[2])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.receive_clean_locks = _ChannelLock()
        self._putting_back: set[asyncio.Future] = set()
        self._inboxes: dict[str, BoundedQueue] = {}
        self._closed: OrderedDict[str, None] = OrderedDict()
        self._pump: asyncio.Task | None = None

    async def receive(self, channel: str) -> dict:
        """A process-specific channel (a socket's) waits on its inbox, which the process's pump fills; other
        channels are received as channels-redis does."""
        if "!" not in channel:
            return await super().receive(channel)
        assert self.require_valid_channel_name(channel)
        real_channel = self.non_local_name(channel)
        assert real_channel.endswith(self.client_prefix + "!"), "Wrong client prefix"
        self._ensure_pump(real_channel)
        try:
            item = await self._inbox(channel).get()
        except asyncio.CancelledError:
            self._close_inbox(channel)  # the socket is gone: Channels cancels its receive when it stops
            raise
        if isinstance(item, _PumpFailed):
            raise item.error
        return item

    def _inbox(self, channel: str) -> BoundedQueue:
        inbox = self._inboxes.get(channel)
        if inbox is None:
            inbox = self._inboxes[channel] = BoundedQueue(self.capacity)
        return inbox

    def _close_inbox(self, channel: str) -> None:
        self._inboxes.pop(channel, None)
        self._closed[channel] = None
        if len(self._closed) > REMEMBERED_CLOSED:
            self._closed.popitem(last=False)
        if not self._inboxes and self._pump is not None:
            self._pump.cancel()  # no socket left in this process: give its Redis connection back
            self._pump = None

    def _ensure_pump(self, real_channel: str) -> None:
        loop = asyncio.get_running_loop()
        if self._pump is not None and not self._pump.done() and self._pump.get_loop() is loop:
            return
        if self._pump is None or self._pump.get_loop() is not loop:
            self._inboxes = {}  # inboxes of another (finished) event loop cannot be awaited on this one
        self._pump = loop.create_task(self._run_pump(real_channel))

    async def _run_pump(self, real_channel: str) -> None:
        index = self.consistent_hash(real_channel)
        key = self.prefix + real_channel
        try:
            while True:
                for member, _score in await self._pop_batch(index, key):
                    self._deliver(real_channel, member)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # Redis went away: every waiting socket fails as its own receive would have
            for inbox in self._inboxes.values():
                inbox.put_nowait(_PumpFailed(error))
            raise

    def _deliver(self, real_channel: str, content: bytes) -> None:
        message = self.deserialize(content)
        target = message.pop("__asgi_channel__", real_channel)
        for channel in target if isinstance(target, list) else [target]:
            if channel not in self._closed:
                self._inbox(channel).put_nowait(message)

    async def _pop_batch(self, index: int, key: str) -> list[tuple[bytes, float]]:
        """Up to PUMP_BATCH messages, waiting for the first; shielded like `_brpop_with_clean`'s pop, so what a
        cancelled pump took goes back to the queue."""
        pop = asyncio.ensure_future(self._pop(self.connection(index), key))
        try:
            return await asyncio.shield(pop)
        except asyncio.CancelledError:
            pop.add_done_callback(lambda done: self._put_back(index, key, done))
            raise

    async def _pop(self, connection: Any, key: str) -> list[tuple[bytes, float]]:
        popped = await connection.zpopmin(key, PUMP_BATCH)
        if popped:
            return popped
        first = await connection.bzpopmin(key, timeout=self.brpop_timeout)
        return [] if first is None else [first[1:]]

    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        if "address" not in host:
            return super().create_pool(index)  # sentinel or host/port entries keep channels-redis's pool
        host.setdefault("socket_timeout", self.brpop_timeout + 10)
        return BlockingConnectionPool.from_url(host.pop("address"), **host)

    async def _brpop_with_clean(self, index: int, channel: str, timeout: float) -> bytes | None:
        """One pop from the process's queue, backed up until its message is delivered; the pop is shielded from
        the caller's cancellation, and what it takes after that goes back to the queue."""
        connection = self.connection(index)
        backup = self._backup_channel_name(channel)
        await connection.eval(self.RESTORE_BACKUP, 0, channel, backup)
        pop = asyncio.ensure_future(connection.bzpopmin(channel, timeout=timeout))
        try:
            result = await asyncio.shield(pop)
        except asyncio.CancelledError:
            pop.add_done_callback(lambda done: self._put_back(index, channel, done))
            raise
        if result is None:
            return None
        _, member, score = result
        await connection.zadd(backup, {member: float(score)})
        return member

    def _put_back(self, index: int, channel: str, pop: asyncio.Future) -> None:
        """What a cancelled pop took, back in the queue: one `(key, member, score)` or a list of `(member, score)`."""
        if pop.cancelled() or pop.exception() is not None or not pop.result():
            return
        popped = pop.result()
        members = dict([popped[1:]] if isinstance(popped, tuple) else popped)
        putting_back = asyncio.ensure_future(self.connection(index).zadd(channel, members))
        self._putting_back.add(putting_back)  # a reference until it is done (the loop keeps only weak ones)
        putting_back.add_done_callback(self._putting_back.discard)

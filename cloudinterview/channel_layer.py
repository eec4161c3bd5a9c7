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
"""

import asyncio
from typing import Any

from channels_redis.core import ChannelLock
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
        if pop.cancelled() or pop.exception() is not None or pop.result() is None:
            return
        _, member, score = pop.result()
        putting_back = asyncio.ensure_future(self.connection(index).zadd(channel, {member: float(score)}))
        self._putting_back.add(putting_back)  # a reference until it is done (the loop keeps only weak ones)
        putting_back.add_done_callback(self._putting_back.discard)


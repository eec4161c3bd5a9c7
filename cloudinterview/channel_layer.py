"""channels-redis with a Redis connection pool that waits for a free connection instead of failing.

redis-py 8's asyncio ConnectionPool allows 100 connections and then raises MaxConnectionsError.
channels-redis 4.3 builds that pool itself (`ConnectionPool.from_url(address, **host)`), so a burst
of more than 100 concurrent commands in one process fails: 1,000 sockets closing at once lost 766 of
their group_discard calls, leaving stale members that every group_send then writes to. A blocking
pool queues those commands for at most `timeout` seconds over a bounded number of connections.

redis-py 8 also reads with a 5-second socket timeout by default, the same as channels-redis's BRPOP
timeout: on a busy event loop the idle receive raised TimeoutError and took its consumer down. Reads
get a margin beyond BRPOP's wait unless the host entry sets `socket_timeout` itself.
"""

from typing import Any

from channels_redis.core import RedisChannelLayer as CoreRedisChannelLayer
from redis.asyncio import BlockingConnectionPool


class RedisChannelLayer(CoreRedisChannelLayer):
    """Host entries are `{"address": url, "max_connections": n, "timeout": seconds}`."""

    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        if "address" not in host:
            return super().create_pool(index)  # sentinel or host/port entries keep channels-redis's pool
        host.setdefault("socket_timeout", self.brpop_timeout + 10)
        return BlockingConnectionPool.from_url(host.pop("address"), **host)

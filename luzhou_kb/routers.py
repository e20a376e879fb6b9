"""Read replicas (``DATABASE_REPLICA_URLS``): reads and search go to a replica, writes to the
primary. The admin, every unsafe request (POST…) and, for a few seconds after a write, every
request of the client that wrote (a cookie set by ``ReadYourWritesMiddleware``) use the
primary for reads too, so nobody reads a page older than what they just saved; streaming
replicas lag by milliseconds to seconds, which the window covers."""

import contextvars
import random

from django.conf import settings

# Set per request by the middleware: True while the request must read the primary.
_primary = contextvars.ContextVar("read_from_primary", default=False)

# What must never be read stale: the cache table (the login throttle counts in it) and the
# migration records.
PRIMARY_ONLY_LABELS = {"django_cache", "migrations"}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def reading_primary() -> bool:
    return _primary.get()


class read_primary:
    """Inside the block, reads go to the primary."""

    def __enter__(self):
        self.token = _primary.set(True)

    def __exit__(self, *exc):
        _primary.reset(self.token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or reading_primary() or model._meta.app_label in PRIMARY_ONLY_LABELS:
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas are copies of the primary: the same rows everywhere

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # a streaming replica receives the primary's schema itself

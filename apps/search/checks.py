"""``manage.py check`` says which full-text index PostgreSQL uses (GIN, or RUM where settings
choose it), and whether it is the one settings ask for. Infos only, but for a setting that
names no index: GIN and RUM both answer every search, and a deploy check must not fail over
which one does."""

from django.conf import settings
from django.core.checks import Error, Info, register
from django.db import DatabaseError, connection

from .backends.postgres import PostgresBackend, rum_available

INDEXES = ("gin", "rum")


@register()
def search_index_in_use(app_configs, **kwargs):
    if settings.SEARCH_POSTGRES_INDEX not in INDEXES:
        return [Error(f"SEARCH_POSTGRES_INDEX 应为 gin 或 rum，而不是 {settings.SEARCH_POSTGRES_INDEX!r}。",
                      id="search.E001")]
    if connection.vendor != "postgresql":
        return []
    try:
        backend = PostgresBackend(connection)
        kind, chosen = backend.index_kind(), backend.chosen_index()
        available = rum_available(connection)
    except DatabaseError:  # no database yet, or not migrated: nothing to say about its index
        return []
    if kind != chosen:
        return [
            Info(
                f"全文检索使用 {kind.upper()} 索引，设置选的是 {chosen.upper()}。",
                hint="运行 manage.py migrate 或 manage.py rebuild_search_index 改用所选索引。",
                id="search.I003",
            )
        ]
    if kind == "rum":
        return [Info("全文检索使用 RUM 索引（按相关度排序直接由索引给出，写入较慢）。", id="search.I001")]
    if settings.SEARCH_POSTGRES_INDEX == "rum":  # asked for, but the database lacks the extension
        hint = (
            "数据库超级用户执行 CREATE EXTENSION rum 后，运行 manage.py rebuild_search_index。"
            if available
            else "安装 postgresql-15-rum（Debian）并由超级用户执行 CREATE EXTENSION rum。"
        )
        message = "设置选用 RUM 索引，但数据库未安装 rum 扩展：全文检索使用 GIN 索引。"
        return [Info(message, hint=hint, id="search.I002")]
    return [Info("全文检索使用 GIN 索引（默认；SEARCH_POSTGRES_INDEX=rum 可改用 RUM 索引）。", id="search.I004")]

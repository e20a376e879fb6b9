"""``manage.py check`` says which full-text index PostgreSQL uses (RUM or the GIN fallback). Infos
only: GIN is a slower index, not an error, and a deploy check must not fail over it."""

from django.core.checks import Info, register
from django.db import DatabaseError, connection

from .backends.postgres import PostgresBackend, rum_available, rum_installed


@register()
def search_index_in_use(app_configs, **kwargs):
    if connection.vendor != "postgresql":
        return []
    try:
        kind = PostgresBackend(connection).index_kind()
        installed = rum_installed(connection)
        available = rum_available(connection)
    except DatabaseError:  # no database yet, or not migrated: nothing to say about its index
        return []
    if kind == "rum":
        return [Info("全文检索使用 RUM 索引（按相关度排序直接由索引给出）。", id="search.I001")]
    if installed:
        return [
            Info(
                "已安装 rum 扩展，但全文检索仍使用 GIN 索引。",
                hint="运行 manage.py migrate 或 manage.py rebuild_search_index 改用 RUM 索引。",
                id="search.I003",
            )
        ]
    hint = (
        "数据库超级用户执行 CREATE EXTENSION rum 后，运行 manage.py rebuild_search_index。"
        if available
        else "安装 postgresql-15-rum（Debian）并由超级用户执行 CREATE EXTENSION rum。"
    )
    return [Info("全文检索使用 GIN 索引（未安装 rum 扩展，常见词检索较慢）。", hint=hint, id="search.I002")]

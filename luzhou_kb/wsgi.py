import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luzhou_kb.settings")
application = get_wsgi_application()

# jieba loads its dictionary on first use, which takes seconds: the first save of a record in each
# worker (and every request queued behind it) waited for it. Load it before serving instead; with
# `gunicorn --preload` once, in the master, and the workers share it.
from apps.search.text import segment  # noqa: E402  (needs the apps loaded above)

segment("泸州")

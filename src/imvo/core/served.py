"""The WSGI application as `imvo serve` runs it: loaded once and warmed up in
gunicorn's master before the port opens (IMVO_WARMUP=0 skips the warm-up)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
application = get_wsgi_application()

if os.environ.get("IMVO_WARMUP", "1") != "0":
    from imvo.core.warmup import warm_up

    warm_up()

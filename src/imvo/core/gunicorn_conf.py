"""gunicorn settings for `imvo serve` (``gunicorn -c python:imvo.core.gunicorn_conf``).

- The application is loaded and warmed up in the master before the port is
  bound (``preload_app``; imvo/core/served.py), so no visitor waits for it.
- Logs are JSON lines on standard output (imvo/core/logs.py).
- The access log is OFF by default: a line per request would tie a client
  address to a complaint's filing time. IMVO_ACCESS_LOG=1 turns on an access
  log WITHOUT addresses, query strings, referrers or user agents: method,
  path, status, size, duration.
"""

import os

bind = os.environ.get("IMVO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("IMVO_THREADS", "4"))
preload_app = True
graceful_timeout = 10
timeout = int(os.environ.get("IMVO_REQUEST_TIMEOUT", "60"))
# Request line and header limits (gunicorn's defaults, stated): the body limit is
# enforced by imvo.core.middleware.RequestSizeLimitMiddleware.
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("IMVO_TRUSTED_PROXIES", "127.0.0.1,::1")
proc_name = "imvo-web"

ACCESS_LOG = os.environ.get("IMVO_ACCESS_LOG", "0") == "1"
accesslog = "-" if ACCESS_LOG else None
# gunicorn 27 opens a control socket in ~/.gunicorn by default; two servers on one
# machine would share it. The supervisor is the control here.
control_socket_disable = True
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "imvo.core.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    # gunicorn merges this dict into its own defaults key by key: name root too.
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
if ACCESS_LOG:  # naming the logger at all turns gunicorn's access log on
    logconfig_dict["loggers"]["gunicorn.access"] = {  # type: ignore[index]
        "handlers": ["stdout"],
        "level": "INFO",
        "propagate": False,
    }

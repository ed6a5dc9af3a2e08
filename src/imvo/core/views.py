from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may be in them or in the database.
    from django.template.loader import get_template

    return HttpResponse(get_template("500.html").render({}), status=500)


def live(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Restart it when this fails, nothing else."""
    from django.http import JsonResponse

    return JsonResponse({"status": "alive"})


def ready(request: HttpRequest) -> HttpResponse:
    """Readiness: send traffic here. 503 while the database cannot be reached or
    migrations are still to run (an upgrade in progress)."""
    from django.http import JsonResponse

    from imvo.core import health

    checks = health.readiness()
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ready" if ok else "not ready", **checks}, status=200 if ok else 503
    )


def health(request: HttpRequest) -> HttpResponse:
    """For operators and monitoring: readiness, the worker's last sign of life and
    the scheduled jobs. 503 when not ready (docs/operations.md, "Monitoring")."""
    from django.http import JsonResponse

    from imvo.core import health

    doc = health.report()
    return JsonResponse(doc, status=200 if doc["status"] == "ready" else 503)

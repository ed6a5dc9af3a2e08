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


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and operators: database reachable, worker last seen."""
    from django.db import connection
    from django.http import JsonResponse

    from imvo.core.models import WorkerHeartbeat

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = WorkerHeartbeat.objects.order_by("-created").values_list("created", flat=True).first()
    return JsonResponse({"database": "ok", "worker_last_seen": last.isoformat() if last else None})

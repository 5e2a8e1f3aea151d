from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


@login_not_required
def healthz(request):
    """For the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request):
    # A plain page: no template context that could itself fail, no stack trace.
    return render(request, "500.html", status=500)

from django.urls import include, path


def boom(request):
    return 1 / 0


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
handler500 = "config.views.server_error"

from performance.views import kpis, tracking

app_name = "performance"

urlpatterns = kpis.urlpatterns + tracking.urlpatterns

from performance.urls import kpis, tracking

app_name = "performance"

urlpatterns = kpis.urlpatterns + tracking.urlpatterns

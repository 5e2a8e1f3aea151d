from performance.urls import kpis, remedies, tracking

app_name = "performance"

urlpatterns = kpis.urlpatterns + tracking.urlpatterns + remedies.urlpatterns

from performance.views import kpis, notices, tracking

app_name = "performance"

urlpatterns = kpis.urlpatterns + tracking.urlpatterns + notices.urlpatterns

"""Performance pages, split by subdomain: KPIs and results (kpis.py); milestones, MI reports
and the OCO's task list (tracking.py). Each module declares its own `urlpatterns`."""

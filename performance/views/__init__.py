"""Performance pages, split by subdomain: KPIs and results (kpis.py); milestones, MI reports
and the OCO's task list (tracking.py). Their URLs are in performance/urls/ by the same names."""

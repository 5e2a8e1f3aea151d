"""Performance forms, split by subdomain: KPIs and results (kpis.py); milestones and MI reports (tracking.py)."""

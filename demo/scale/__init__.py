"""A register at national scale, to time the dashboards on (manage.py seed_scale)."""

"""Reads of the register that are more than a queryset method, split by subdomain as the services are."""

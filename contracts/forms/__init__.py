"""The register's forms, split by subdomain: register, escalations, lifecycle."""

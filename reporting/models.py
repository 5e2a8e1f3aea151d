"""No models: the reporting schema is SQL views (schema.py). This module exists because Django sends
`pre_migrate` and `post_migrate` only to apps that have one (apps.py listens to them)."""

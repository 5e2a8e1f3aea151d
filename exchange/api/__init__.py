"""The read-only REST API for the force's reporting system (token authentication, scoped like the pages)."""

"""Open Contracting Data Standard (OCDS 1.1): import awarded contracts, export the register.

The export's implementation milestones come from the performance app, which contracts may
not import: `exporter.release_package` takes them as data (see performance/ocds.py).
"""

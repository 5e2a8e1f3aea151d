"""Spreadsheet import of contracts and their suppliers (django-import-export)."""

"""Importers: public data sets mapped to the landing contract (CONTRACT.md)."""

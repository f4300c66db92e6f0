"""Skillpath's domain data: models, one module per record type, importers; no HTTP here."""

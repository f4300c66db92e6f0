"""Skillpath's domain data: models, repositories, bulk imports and importers; no HTTP here."""

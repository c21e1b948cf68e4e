"""Alembic migrations for the newsetl schema (packaged so they work from any directory)."""

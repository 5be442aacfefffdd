"""Backups and recovery (seed 9.7): PostgreSQL dumps, base backups + WAL for point-in-time recovery,
Redis snapshots, all kept in storage under backups/ with a JSON manifest each, so the catalogue
survives the loss of the database it protects. See docs/operations.md, "Backups and recovery".
"""

"""The extraction stages, in the order ``pipeline.py`` runs them: split → tag mentions →
resolve → attach statuses and dates → assemble records. Each takes and returns dataclasses."""

"""Signals the case record sends. Receivers (e.g. the compliance module) connect in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent after commit with `detainee_ids`: the detainees whose record changed.
record_changed = Signal()

"""Signals the case record sends. Receivers (e.g. the compliance module) connect in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent after commit with `detainee_ids`: the detainees whose record changed.
record_changed = Signal()

# Sent INSIDE the transaction of an exchange change, so that receivers can write rows that commit (or roll back)
# with it (e.g. a webhook outbox). Arguments: `proposal`, `event` ("created", "status_changed" or
# "members_changed"), `actor`, and for status changes `from_status` and `to_status`.
exchange_changed = Signal()

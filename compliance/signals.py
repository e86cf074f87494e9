"""Signals the compliance engine sends.

Both are sent INSIDE the transaction that writes the findings, so a receiver that writes an outbox row
(e.g. webhooks) commits or rolls back together with the findings. Receivers get `finding_ids` (list of
Finding pks) and `run` (the ComplianceRun, or None for an incremental re-evaluation).
"""

from django.dispatch import Signal

# New findings, and findings reopened because their condition returned.
findings_opened = Signal()
# Findings resolved automatically because their condition cleared.
findings_resolved = Signal()

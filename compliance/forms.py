"""Forms of the compliance admin: review actions, waivers, bulk review and the 'seen between' filter.

The forms only check what a person typed (a comment, a justification, a date in the future); the state
machine and the permission are checked again by `compliance.services`, which does the writing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from .choices import REVIEW_TRANSITIONS, ReviewAction

# The actions a reviewer can take by hand (waive has its own form: it needs a justification and an expiry).
MANUAL_ACTIONS = (ReviewAction.ACKNOWLEDGE, ReviewAction.DISPUTE, ReviewAction.RESOLVE, ReviewAction.REOPEN)
# Actions that must say why (the service refuses them without a comment).
ACTIONS_NEEDING_COMMENT = (ReviewAction.DISPUTE, ReviewAction.RESOLVE, ReviewAction.REOPEN)


def allowed_actions(state: str) -> list[ReviewAction]:
    """The manual review actions REVIEW_TRANSITIONS allows from a state, in the order a reviewer expects them."""
    return [action for action in MANUAL_ACTIONS if state in REVIEW_TRANSITIONS[action][0]]


def can_waive(state: str) -> bool:
    return state in REVIEW_TRANSITIONS[ReviewAction.WAIVE][0]


def end_of_day(day: dt.date) -> dt.datetime:
    """The last minute of a day in the current time zone: a waiver 'until 31 March' covers 31 March."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)), timezone.get_current_timezone())


class FindingReviewForm(forms.Form):
    """Acknowledge, dispute, resolve or reopen one finding; the button pressed gives the action."""

    review_action = forms.ChoiceField(choices=[(a.value, a.label) for a in MANUAL_ACTIONS], label="Action")
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Kept in the finding's review history. Required to dispute, resolve or reopen.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("review_action")
        if action in ACTIONS_NEEDING_COMMENT and not (data.get("comment") or "").strip():
            self.add_error("comment", f"Say why you {ReviewAction(action).label.lower()} this finding.")
        return data


class FindingWaiveForm(forms.Form):
    """Waive one finding: a justification and the last day the waiver covers (after today)."""

    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Why this finding may stand for now (the legal basis or the measure already taken).",
        error_messages={"required": "Give the justification for the waiver."},
    )
    expires_on = forms.DateField(
        label="Waived until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The last day the waiver covers; the finding is open again after it.",
        error_messages={
            "required": "Give the date the waiver expires (YYYY-MM-DD).",
            "invalid": "Expected a date as YYYY-MM-DD.",
        },
    )

    def clean_justification(self) -> str:
        text = self.cleaned_data["justification"].strip()
        if not text:
            raise forms.ValidationError("Give the justification for the waiver.")
        return text

    def clean_expires_on(self) -> dt.date:
        day = self.cleaned_data["expires_on"]
        if day <= timezone.localdate():
            raise forms.ValidationError(
                f"The expiry must be in the future: expected a date after {timezone.localdate()}."
            )
        return day

    @property
    def expires_at(self) -> dt.datetime:
        return end_of_day(self.cleaned_data["expires_on"])


class BulkReviewForm(forms.Form):
    """The comment for a review action applied to several findings at once."""

    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Kept in the review history of every selected finding.",
        error_messages={"required": "Say why (the comment is kept in each finding's history)."},
    )


class SeenBetweenForm(forms.Form):
    """The 'seen between' filter of the findings list: both ends optional, inclusive."""

    seen_from = forms.DateField(required=False, error_messages={"invalid": "Expected a date as YYYY-MM-DD."})
    seen_to = forms.DateField(required=False, error_messages={"invalid": "Expected a date as YYYY-MM-DD."})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("seen_from"), data.get("seen_to")
        if start and end and end < start:
            self.add_error("seen_to", "The end of the period cannot be before its start.")
        return data

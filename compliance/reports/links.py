"""Links to reports and cards for other pages (the admin's detainee, facility and findings pages).

The detainee and facility admin pages already get them as object-tool buttons, from the templates
compliance/templates/admin/powcases/{detainee,facility}/change_form.html (powcases stays free of any import
of compliance). Elsewhere, in an admin class of the compliance app (no get_urls needed):

    from compliance.reports.links import report_links_html

    class DetaineeAdmin(admin.ModelAdmin):
        readonly_fields = [..., "reports"]

        @admin.display(description="Reports")
        def reports(self, obj):
            return report_links_html(obj)

and for the findings changelist, `report_links_html(Finding)` (the class) gives the index and export links.
In a template: `{% url 'compliance:report-detainee' pk=detainee.pk %}` (also report-facility, report-rule with
rule_id, report-period with ?start=&end=, card-capture, card-identity, card-rights; add ?format=pdf|csv|sarif).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from compliance.models import Finding
from powcases.models import Detainee, Facility


def report_links_for(obj: Any) -> list[tuple[str, str]]:
    """(label, url) pairs for a detainee, a facility, a finding, or the Finding class (the findings list)."""
    if isinstance(obj, Detainee) and obj.pk:
        report = reverse("compliance:report-detainee", kwargs={"pk": obj.pk})
        return [
            ("Compliance report", report),
            ("PDF", f"{report}?format=pdf"),
            ("Capture card (Annex IV B)", reverse("compliance:card-capture", kwargs={"pk": obj.pk})),
            ("Identity card (Art. 17(3))", reverse("compliance:card-identity", kwargs={"pk": obj.pk})),
            ("Notice of rights (Art. 17)", reverse("compliance:card-rights", kwargs={"pk": obj.pk})),
        ]
    if isinstance(obj, Facility) and obj.pk:
        report = reverse("compliance:report-facility", kwargs={"pk": obj.pk})
        return [
            ("Compliance report", report),
            ("PDF", f"{report}?format=pdf"),
            ("CSV", f"{report}?format=csv"),
            ("SARIF", f"{report}?format=sarif"),
        ]
    if isinstance(obj, Finding) and obj.pk:
        return [
            (
                "Detainee report",
                reverse("compliance:report-detainee", kwargs={"pk": obj.detainee_id}) + f"#finding-{obj.pk}",
            ),
            (f"All {obj.rule_id} findings", reverse("compliance:report-rule", kwargs={"rule_id": obj.rule_id})),
        ]
    if obj is Finding:
        return [("Reports", reverse("compliance:report-index"))]
    return []


def report_links_html(obj: Any) -> SafeString:
    """The same links as HTML for an admin readonly field (empty for an unsaved object)."""
    links = report_links_for(obj)
    if not links:
        return format_html("{}", "—")
    return format_html_join(" · ", '<a href="{}">{}</a>', ((url, label) for label, url in links))

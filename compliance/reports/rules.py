"""Plain-language metadata of the rules a report cites, read from the rule registry defensively.

The registry (`compliance.registry.registry`) belongs to the rule engine. A report must still render when a
finding names a rule the registry does not know (a retired rule, or a registry not loaded): it then falls back
to what the finding itself stores (article, message) and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Rules whose messages and evidence describe a detainee's health: withheld from roles without medical details.
MEDICAL_TAGS = {"medical", "wounded and sick"}
MEDICAL_RULE_IDS = {"GC3-17-UNABLE", "GC3-30-MEDICAL", "GC3-31-MONTHLY", "GC3-109-DIRECTREPAT"}


@dataclass(frozen=True)
class RuleInfo:
    """What a reader needs to understand one rule: where it comes from and what it asks."""

    id: str
    version: int | None
    title: str
    article: str
    description: str
    rationale: str
    remediation: str
    severity: str
    known: bool = True
    references: tuple[str, ...] = field(default_factory=tuple)
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_medical(self) -> bool:
        """Its findings describe medical facts (tagged so in the registry, or a known medical rule)."""
        return bool(MEDICAL_TAGS & set(self.tags)) or self.id in MEDICAL_RULE_IDS

    @property
    def help_uri(self) -> str:
        """A stable page of the treaty text for the article, when it can be derived (GCIII only)."""
        import re

        match = re.search(r"Art(?:icle|\.)?\s*(\d+)", self.article or "")
        if match and ("GC" in self.article or "Geneva" in self.article or self.id.startswith("GC3")):
            return f"https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949/article-{match.group(1)}"
        return ""


def _registry() -> Any:
    try:
        from compliance.registry import registry
    except Exception:  # the engine may not be installed yet, or failed to import: reports still render
        return None
    return registry


def _attr(rule: Any, name: str, default: Any = "") -> Any:
    value = getattr(rule, name, None)
    if value is None and isinstance(rule, dict):
        value = rule.get(name)
    return default if value is None else value


def rule_info(rule_id: str, *, article: str = "", version: int | None = None) -> RuleInfo:
    """Metadata of one rule; a placeholder built from the finding's own data if the registry lacks it."""
    registry = _registry()
    rule = None
    if registry is not None:
        try:
            rule = registry.get(rule_id)
        except Exception:  # unknown id: KeyError, LookupError, or anything a registry chooses to raise
            rule = None
    if rule is None:
        return RuleInfo(
            id=rule_id,
            version=version,
            title=rule_id,
            article=article,
            description="This rule is not in the rule registry of this installation; the finding's own message "
            "and evidence are shown as recorded.",
            rationale="",
            remediation="",
            severity="",
            known=False,
        )
    references = _attr(rule, "references", ())
    if isinstance(references, str):
        references = (references,)
    return RuleInfo(
        id=str(_attr(rule, "id", rule_id)),
        version=_attr(rule, "version", version),
        title=str(_attr(rule, "title", rule_id)),
        article=str(_attr(rule, "article", article)),
        description=str(_attr(rule, "description")),
        rationale=str(_attr(rule, "rationale")),
        remediation=str(_attr(rule, "remediation")),
        severity=str(_attr(rule, "severity")),
        known=True,
        references=tuple(str(r) for r in references),
        tags=tuple(str(t) for t in _attr(rule, "tags", ())),
    )


def rules_info(rule_ids: list[tuple[str, str, int]]) -> dict[str, RuleInfo]:
    """Metadata for each (rule id, article, version) seen in a selection, keyed by rule id."""
    result: dict[str, RuleInfo] = {}
    for rule_id, article, version in rule_ids:
        if rule_id not in result:
            result[rule_id] = rule_info(rule_id, article=article, version=version)
    return result

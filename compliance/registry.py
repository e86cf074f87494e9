"""The rule registry, modelled on Django's system checks (`django/core/checks/registry.py`).

A rule is a small function registered with a stable id and its legal metadata. It receives a
`compliance.context.ChunkContext` (every record a chunk of detainees needs, loaded set-based) and yields
`Result`s. Like `SILENCED_SYSTEM_CHECKS`, ids listed in `settings.COMPLIANCE_SILENCED_RULES` are not run.

Writing a rule (see compliance/rules/art13.py for a short one)::

    @registry.register(
        id="GC3-99-EXAMPLE", version=1, title="...", article="GCIII Art. 99(1)", paragraphs=("99(1)",),
        description="...", rationale="...", remediation="...", severity=Severity.HIGH,
        tags=("example",), references=("Treaty text checked: ...",), time_based=False,
    )
    def example(ctx: ChunkContext) -> Iterator[Result]:
        for detainee_id in ctx.detainee_ids:
            ...
            yield Result.violation(detainee_id, "Plain-language message.", evidence={...}, subject=...)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from .choices import FINDING_OUTCOMES, Outcome, Severity

if TYPE_CHECKING:
    from .context import ChunkContext

# The record a result is about, as (model label in lower case, primary key): ("powcases.interrogation", 12).
Subject = tuple[str, int]


def subject_of(model: type[models.Model] | str, pk: int | None) -> Subject | None:
    """Build a subject from a model class (or its label) and a primary key."""
    if pk is None:
        return None
    label = model if isinstance(model, str) else model._meta.label_lower
    return (label.lower(), int(pk))


@dataclass(frozen=True, slots=True)
class Result:
    """What one rule decided about one detainee (and, where it applies, one record of his file).

    Only violation, warning and insufficient data become findings; compliant and not applicable are
    returned so that tests (and explanations) can see them, and the engine drops them.
    `discriminator` separates two results on the same subject (e.g. two capture-card occasions of one event).
    """

    detainee_id: int
    outcome: Outcome
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    subject: Subject | None = None
    discriminator: str = ""
    severity: Severity | None = None  # overrides the rule's severity for this result only

    @property
    def is_finding(self) -> bool:
        return self.outcome in FINDING_OUTCOMES

    @classmethod
    def violation(cls, detainee_id: int, message: str, **kwargs: Any) -> Result:
        return cls(detainee_id, Outcome.VIOLATION, message, **kwargs)

    @classmethod
    def warning(cls, detainee_id: int, message: str, **kwargs: Any) -> Result:
        return cls(detainee_id, Outcome.WARNING, message, **kwargs)

    @classmethod
    def insufficient(cls, detainee_id: int, message: str, *, missing: Iterable[str], **kwargs: Any) -> Result:
        """Insufficient data: `missing` names the data that would let the rule decide (kept in evidence)."""
        evidence = {**kwargs.pop("evidence", {}), "missing": list(missing)}
        return cls(detainee_id, Outcome.INSUFFICIENT_DATA, message, evidence=evidence, **kwargs)

    @classmethod
    def compliant(cls, detainee_id: int, message: str = "", **kwargs: Any) -> Result:
        return cls(detainee_id, Outcome.COMPLIANT, message, **kwargs)

    @classmethod
    def not_applicable(cls, detainee_id: int, message: str = "", **kwargs: Any) -> Result:
        return cls(detainee_id, Outcome.NOT_APPLICABLE, message, **kwargs)


Evaluator = Callable[["ChunkContext"], Iterable[Result]]


@dataclass(frozen=True)
class Rule:
    """A registered compliance rule and its legal metadata. Calling it evaluates a chunk."""

    id: str
    version: int
    title: str
    article: str  # human citation, e.g. "GCIII Art. 17(6)"
    paragraphs: tuple[str, ...]  # machine-friendly paragraph refs, e.g. ("17(6)",)
    description: str
    rationale: str
    remediation: str
    severity: Severity
    evaluate: Evaluator = field(repr=False, compare=False)
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # what treaty / commentary text was checked for this rule
    time_based: bool = False  # needs the periodic sweep: the outcome can change with time alone

    def __call__(self, ctx: ChunkContext) -> Iterable[Result]:
        return self.evaluate(ctx)

    @property
    def is_silenced(self) -> bool:
        return self.id in set(getattr(settings, "COMPLIANCE_SILENCED_RULES", ()))


class UnknownRule(KeyError):
    """Asked for a rule id that is not registered."""

    def __str__(self) -> str:
        return str(self.args[0])


class RuleRegistry:
    """Holds the registered rules by id (one instance: `registry`)."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register(
        self,
        *,
        id: str,
        version: int,
        title: str,
        article: str,
        description: str,
        rationale: str,
        remediation: str,
        severity: Severity,
        paragraphs: Iterable[str] = (),
        tags: Iterable[str] = (),
        references: Iterable[str] = (),
        time_based: bool = False,
    ) -> Callable[[Evaluator], Rule]:
        """Decorator: register the decorated evaluate function as a rule and return the `Rule`."""
        if not id or id != id.strip().upper():
            raise ValueError(f"Rule id {id!r} must be non-empty upper case, e.g. 'GC3-17-LANG'.")
        if version < 1:
            raise ValueError(f"Rule {id}: version must be 1 or more.")

        def decorator(evaluate: Evaluator) -> Rule:
            rule = Rule(
                id=id,
                version=version,
                title=title,
                article=article,
                paragraphs=tuple(paragraphs),
                description=description,
                rationale=rationale,
                remediation=remediation,
                severity=Severity(severity),
                evaluate=evaluate,
                tags=tuple(tags),
                references=tuple(references),
                time_based=time_based,
            )
            existing = self._rules.get(id)
            if existing is not None and existing.evaluate.__qualname__ != evaluate.__qualname__:
                raise ValueError(f"Rule id {id!r} is already registered by {existing.evaluate.__module__}.")
            self._rules[id] = rule
            return rule

        return decorator

    def unregister(self, rule_id: str) -> None:
        """Remove a rule (for tests that register throwaway rules)."""
        self._rules.pop(rule_id, None)

    def all(self) -> list[Rule]:
        """Every registered rule, ordered by id."""
        return [self._rules[k] for k in sorted(self._rules)]

    def ids(self) -> list[str]:
        return sorted(self._rules)

    def get(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id]
        except KeyError:
            known = ", ".join(sorted(self._rules)) or "none"
            raise UnknownRule(f"No compliance rule with id {rule_id!r}. Registered rules: {known}.") from None

    def active(self) -> list[Rule]:
        """Registered rules minus those silenced in settings.COMPLIANCE_SILENCED_RULES."""
        return [rule for rule in self.all() if not rule.is_silenced]

    def select(self, rule_ids: Iterable[str] | None = None, *, time_based: bool | None = None) -> list[Rule]:
        """Active rules, restricted to `rule_ids` (each must exist) and/or to time-based ones."""
        rules = self.active()
        if rule_ids:
            wanted = {self.get(r).id for r in rule_ids}
            rules = [r for r in rules if r.id in wanted]
        if time_based is not None:
            rules = [r for r in rules if r.time_based == time_based]
        return rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules


registry = RuleRegistry()
register = registry.register

"""A covenant's assessment framework: installed from a ready-made template
(`duediligence/framework_templates.py`), then adapted by its secretariat
(elements on the OECD steps, questions, weights) until the first decision
rests on it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError
from imvo.core.slugs import first_free
from imvo.covenants.models import Covenant
from imvo.duediligence.framework_templates import TEMPLATES
from imvo.duediligence.models import Element, Framework, OecdStep, Question, Submission
from imvo.duediligence.services.access import require_reviewer

MAX_WEIGHT = Decimal("999.99")


def active_framework(covenant: Covenant) -> Framework | None:
    return Framework.objects.filter(covenant=covenant, active=True).order_by("-created").first()


def framework_frozen(framework: Framework) -> bool:
    """A framework used in a decided submission no longer changes: a published score
    must remain reproducible. The secretariat installs a new one for the next year."""
    return framework.submissions.filter(status=Submission.Status.DECIDED).exists()


def _valid_weight(w: Decimal) -> bool:
    """Weights run from 0 to 999.99 (what the weight columns hold)."""
    return w.is_finite() and Decimal(0) <= w <= MAX_WEIGHT


def _require_changeable(user: AnyUser, framework: Framework) -> None:
    require_reviewer(user, framework.covenant)
    if framework_frozen(framework):
        raise DomainError(
            _(
                "This framework has decided submissions and can no longer change. "
                "Install a new framework for the next year."
            )
        )


# --- installing a ready-made framework ---------------------------------------------


def check_install_framework(
    user: AnyUser, covenant: Covenant, template: str, activate: bool = True
) -> Framework:
    """Copy a ready-made framework into the covenant; the secretariat may then adapt it."""
    require_reviewer(user, covenant)
    if template not in TEMPLATES:
        raise DomainError(
            _("Unknown framework template %(t)s; choose one of: %(all)s.")
            % {"t": template, "all": ", ".join(sorted(TEMPLATES))}
        )
    return do_install_framework(covenant, template, activate)


@transaction.atomic
def do_install_framework(covenant: Covenant, template: str, activate: bool = True) -> Framework:
    """Write the template's elements and questions under a code not yet used in the
    covenant (``garment``, ``garment-2``, ...); with `activate`, new submissions use it."""
    spec = TEMPLATES[template]
    code = first_free(template, set(covenant.dd_frameworks.values_list("code", flat=True)))
    if activate:
        Framework.objects.filter(covenant=covenant).update(active=False)
    fw = Framework.objects.create(
        covenant=covenant,
        code=code,
        name=spec["name"],
        kind=spec["kind"],
        description=spec["description"],
        meets_threshold=Decimal(spec["meets"]),
        partly_threshold=Decimal(spec["partly"]),
        active=activate,
    )
    for i, (ecode, step, title, weight, questions) in enumerate(spec["elements"], start=1):
        el = Element.objects.create(
            framework=fw, code=ecode, order=i, oecd_step=step, title=title, weight=Decimal(weight)
        )
        Question.objects.bulk_create(
            Question(
                element=el,
                code=qcode,
                order=j,
                kind=kind,
                text=text,
                help=help_,
                weight=Decimal(qw),
            )
            for j, (qcode, kind, text, help_, qw) in enumerate(questions, start=1)
        )
    return fw


# --- adapting it --------------------------------------------------------------------


def check_add_element(
    user: AnyUser, framework: Framework, title: str, oecd_step: int, weight: Decimal
) -> Element:
    """Add an assessed element on one OECD step to the covenant's framework."""
    _require_changeable(user, framework)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the element a title."))
    if oecd_step not in OecdStep.values:
        raise DomainError(_("Choose one of the six OECD steps."))
    if not _valid_weight(weight):
        raise DomainError(
            _("The weight of %(el)s must be a number from 0 to 999.99.") % {"el": title}
        )
    return do_add_element(framework, title, oecd_step, weight)


def _next_order(siblings: QuerySet[Any]) -> int:
    """The order number after the last of `siblings` (1 for the first)."""
    return (siblings.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def do_add_element(framework: Framework, title: str, oecd_step: int, weight: Decimal) -> Element:
    """Write the element last in the framework, under a code made from its title."""
    taken = set(framework.elements.values_list("code", flat=True))
    return Element.objects.create(
        framework=framework,
        code=first_free(slugify(title)[:50] or "element", taken),
        order=_next_order(framework.elements.all()),
        oecd_step=oecd_step,
        title=title,
        weight=weight,
    )


def check_add_question(
    user: AnyUser,
    element: Element,
    text: str,
    kind: str,
    weight: Decimal = Decimal(1),
    help: str = "",
) -> Question:
    """Add a question to an element of the covenant's framework."""
    _require_changeable(user, element.framework)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the question."))
    if kind not in Question.Kind.values:
        raise DomainError(_("Choose the kind of question."))
    if not _valid_weight(weight):
        raise DomainError(_("Question %(pk)s: give a weight from 0 to 999.99.") % {"pk": text[:40]})
    return do_add_question(element, text, kind, weight, (help or "").strip())


@transaction.atomic
def do_add_question(
    element: Element, text: str, kind: str, weight: Decimal, help: str = ""
) -> Question:
    """Write the question last in its element, under a code unique in the framework."""
    taken = set(
        Question.objects.filter(element__framework=element.framework).values_list("code", flat=True)
    )
    return Question.objects.create(
        element=element,
        code=first_free(slugify(text)[:40] or "question", taken),
        order=_next_order(element.questions.all()),
        text=text,
        kind=kind,
        weight=weight,
        help=help,
    )


def check_remove_question(user: AnyUser, question: Question) -> None:
    """Remove a question nobody has answered yet."""
    _require_changeable(user, question.element.framework)
    if question.answers.exclude(value="", explanation="").exists():
        raise DomainError(
            _("Members have already answered this question; set its weight to 0 instead.")
        )
    do_remove_question(question)


@transaction.atomic
def do_remove_question(question: Question) -> None:
    question.answers.all().delete()
    question.delete()


def check_set_weights(
    user: AnyUser,
    framework: Framework,
    element_weights: Mapping[int, Decimal],
    question_weights: Mapping[int, Decimal] | None = None,
) -> Framework:
    """Change the weights of a framework's elements and questions (secretariat only).

    Weights of a framework already used in a decided submission stay as they
    were: a published score must remain reproducible. Install a new framework
    for the next year instead.
    """
    _require_changeable(user, framework)
    elements = {e.pk: e for e in framework.elements.all()}
    for pk, w in element_weights.items():
        if pk not in elements:
            raise DomainError(_("Element %(pk)s is not part of this framework.") % {"pk": pk})
        if not _valid_weight(w):
            raise DomainError(
                _("The weight of %(el)s must be a number from 0 to 999.99.")
                % {"el": elements[pk].title}
            )
    if sum(element_weights.get(pk, e.weight) for pk, e in elements.items()) <= 0:
        raise DomainError(_("At least one element needs a weight above zero."))
    if question_weights:
        questions = set(
            Question.objects.filter(element__framework=framework).values_list("pk", flat=True)
        )
        for pk, w in question_weights.items():
            if pk not in questions or not _valid_weight(w):
                raise DomainError(
                    _("Question %(pk)s: give a weight from 0 to 999.99.") % {"pk": pk}
                )
    return do_set_weights(framework, element_weights, question_weights or {})


@transaction.atomic
def do_set_weights(
    framework: Framework,
    element_weights: Mapping[int, Decimal],
    question_weights: Mapping[int, Decimal],
) -> Framework:
    for element in framework.elements.filter(pk__in=list(element_weights)):
        element.weight = element_weights[element.pk]
        element.save(update_fields=["weight"])
    for question in Question.objects.filter(
        element__framework=framework, pk__in=list(question_weights)
    ):
        question.weight = question_weights[question.pk]
        question.save(update_fields=["weight"])
    return framework

"""Due-diligence pages: the member's submission and action plan, the secretariat's queue,
review, figures, escalation and exports. Thin: parse, call a service, render."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imvo.accounts import seams as roles
from imvo.core.errors import DomainError
from imvo.core.exports import table_response
from imvo.core.flash import flash_outcome
from imvo.core.forms import submit
from imvo.core.registry import plan_notes_for, submission_notes_for
from imvo.core.text import whole_number
from imvo.covenants.models import Covenant
from imvo.covenants.seams import secretariat_page
from imvo.duediligence import forms
from imvo.duediligence.framework_templates import shown
from imvo.duediligence.models import (
    Action,
    EscalationStep,
    ProgressUpdate,
    Question,
    RemediationCase,
    Submission,
)
from imvo.duediligence.seams import member_covenant
from imvo.duediligence.services.access import (
    NotFound,
    actions_visible_to,
    can_edit,
    can_review,
    get_submission,
    member_covenants,
    member_organisation,
    reviewed_covenants,
)
from imvo.duediligence.services.action_plan import (
    ACTION_STATUS_LABELS,
    action_plan,
    action_status,
    check_add_progress,
    check_save_action,
    check_save_case,
)
from imvo.duediligence.services.escalation import (
    check_record_escalation,
    current_escalation,
    escalations,
)
from imvo.duediligence.services.exports import export_rows
from imvo.duediligence.services.figures import covenant_figures, element_rows
from imvo.duediligence.services.frameworks import (
    active_framework,
    check_add_element,
    check_add_question,
    check_install_framework,
    check_remove_question,
    check_set_weights,
    framework_frozen,
)
from imvo.duediligence.services.review import (
    assessment_letter_pdf,
    check_remind_not_started,
    check_review,
    check_start_review,
    improvements_overdue,
    members_not_started,
    review_queue,
)
from imvo.duediligence.services.scoring import scorecard
from imvo.duediligence.services.submissions import (
    check_save_answers,
    check_start_submission,
    check_submit,
    risk_register,
)
from imvo.risk.seams import readable_entry


def _tracked(a: Action) -> tuple[Action, str, str]:
    st = action_status(a)
    return a, st, str(ACTION_STATUS_LABELS[st])


def _submission(request: HttpRequest, pk: int) -> Submission:
    try:
        return get_submission(request.user, pk)
    except NotFound:
        raise Http404 from None


def _under_review(request: HttpRequest, pk: int) -> Submission:
    """A submission the user reviews (else 404: do not confirm it exists)."""
    sub = _submission(request, pk)
    if not can_review(request.user, sub):
        raise Http404
    return sub


@login_required
def index(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    member = []
    oid = roles.organisation_id(request.user) or 0
    for c in member_covenants(request.user):
        subs = list(
            Submission.objects.filter(covenant=c, organisation_id=oid)
            .select_related("framework")
            .order_by("-year")
        )
        member.append(
            {
                "covenant": c,
                "submissions": subs,
                "current": next((s for s in subs if s.year == year), None),
                # Reports often cover the year just ended: it may still be started.
                "previous_missing": not any(s.year == year - 1 for s in subs),
                "framework": active_framework(c),
            }
        )
    reviewed = list(reviewed_covenants(request.user))
    waiting = dict(
        Submission.objects.filter(
            covenant__in=reviewed,
            status__in=[Submission.Status.SUBMITTED, Submission.Status.UNDER_REVIEW],
        )
        .values_list("covenant")
        .annotate(n=Count("id"))
        .order_by()
    )  # one query for every covenant, not one a covenant
    reviewer = [{"covenant": c, "waiting": waiting.get(c.pk, 0)} for c in reviewed]
    return render(
        request,
        "duediligence/index.html",
        {"member": member, "reviewer": reviewer, "year": year, "previous": year - 1},
    )


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    covenant, _org = member_covenant(request.user, slug)
    raw = request.POST.get("year") or str(timezone.localdate().year)
    try:
        year = whole_number(raw, max_digits=4)
        if year is None:
            raise DomainError(_("%(v)s is not a year.") % {"v": raw[:20]})
        sub = check_start_submission(request.user, covenant, year)
    except DomainError as e:
        messages.error(request, str(e))
        return redirect("duediligence:index")
    return redirect("duediligence:submission", pk=sub.pk)


def _answers_from_post(request: HttpRequest, sub: Submission) -> dict[int, tuple[str, str]]:
    out = {}
    for q in Question.objects.filter(element__framework_id=sub.framework_id):
        if f"q{q.pk}" in request.POST or f"x{q.pk}" in request.POST:
            out[q.pk] = (request.POST.get(f"q{q.pk}", ""), request.POST.get(f"x{q.pk}", ""))
    return out


@login_required
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    editable = can_edit(request.user, sub)
    if request.method == "POST":
        if not editable:
            raise Http404
        try:
            check_save_answers(request.user, sub, _answers_from_post(request, sub))
            if request.POST.get("do") == "submit":
                check_submit(request.user, sub)
                messages.success(request, _("Submitted. The secretariat will review it."))
            else:
                messages.success(request, _("Answers saved."))
        except DomainError as e:
            messages.error(request, str(e))
        return redirect("duediligence:submission", pk=sub.pk)
    card = scorecard(sub)
    answers = {a.question_id: a for a in sub.answers.all()}
    elements = []
    for r in card.elements:
        qs = [(q, answers.get(q.pk)) for q in r.element.questions.all()]
        elements.append({"result": r, "questions": qs})
    reviewer = can_review(request.user, sub)
    context: dict[str, Any] = {
        "s": sub,
        "card": card,
        "elements": elements,
        "editable": editable,
        "reviewer": reviewer,
        "versions": sub.versions.all(),
        "risks": _readable_register(risk_register(sub.organisation, sub.covenant)),
        "actions": [_tracked(a) for a in action_plan(sub)],
        "history": Submission.objects.filter(sub.of_same_member()).order_by("year"),
        "decisions": Submission.Decision.choices,
        "suggested": (
            Submission.Decision(card.suggested_decision).label if card.suggested_decision else ""
        ),
        "escalation": (current_escalation(sub.covenant, sub.organisation) if reviewer else None),
        # Joint corrective action plans the member joined (apps above, via the registry).
        "joint_notes": submission_notes_for(sub.organisation_id, sub.covenant_id, sub.year),
    }
    return render(request, "duediligence/submission.html", context)


@login_required
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    sub = _submission(request, pk)
    v = get_object_or_404(sub.versions, number=number)
    return render(request, "duediligence/version.html", {"s": sub, "v": v, "d": v.data})


@login_required
@require_POST
def start_review(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _under_review(request, pk)
    try:
        check_start_review(request.user, sub)
    except DomainError as e:
        messages.error(request, str(e))
    return redirect("duediligence:submission", pk=sub.pk)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _under_review(request, pk)
    flash_outcome(request, lambda: _review_from_post(request, sub), _("Assessment recorded."))
    return redirect("duediligence:submission", pk=sub.pk)


def _review_from_post(request: HttpRequest, sub: Submission) -> None:
    """The reviewer's element scores, feedback and outcome, as posted, recorded."""
    scores = {
        el.pk: (request.POST.get(f"score{el.pk}", ""), request.POST.get(f"comment{el.pk}", ""))
        for el in sub.framework.elements.all()
    }
    deadline = None
    raw = request.POST.get("improvement_deadline", "").strip()
    if raw:
        try:
            deadline = date.fromisoformat(raw)
        except ValueError:
            raise DomainError(
                _("Improvement deadline: %(v)s is not a date (use YYYY-MM-DD).") % {"v": raw}
            ) from None
    check_review(
        request.user,
        sub,
        scores,
        request.POST.get("feedback", ""),
        request.POST.get("outcome", ""),
        request.POST.get("decision", ""),
        deadline,
    )


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    try:
        pdf = assessment_letter_pdf(request.user, sub)
    except NotFound:
        raise Http404 from None
    except DomainError as e:
        messages.error(request, str(e))
        return redirect("duediligence:submission", pk=sub.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="assessment-{sub.covenant.slug}-{sub.year}-'
        f'{sub.organisation.slug}.pdf"'
    )
    return response


def _readable_register(risks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The register rows with the theme, country and involvement in words: members
    read 'Directly linked to', not the stored code 'directly_linked'."""
    return [{**r, "words": readable_entry(r)} for r in risks]


# --- action plan ------------------------------------------------------------------


@login_required
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    covenant, org = member_covenant(request.user, slug)
    actions = Action.objects.filter(covenant=covenant, organisation=org).select_related("theme")
    risks = risk_register(org, covenant)
    form = forms.ActionForm(request.POST or None, covenant=covenant, risks=risks)
    if submit(request, form, lambda: _save_action(request, covenant, form)):
        messages.success(request, _("Action added to your plan."))
        return redirect("duediligence:plan", slug=slug)
    cases = RemediationCase.objects.filter(covenant=covenant, organisation=org)
    return render(
        request,
        "duediligence/plan.html",
        {
            "covenant": covenant,
            "org": org,
            "actions": [_tracked(a) for a in actions],
            "cases": cases,
            "risks": risks,
            "form": form,
        },
    )


def _save_action(
    request: HttpRequest, covenant: Covenant, form: forms.ActionForm, action: Action | None = None
) -> Action:
    """Add the action the form describes to the member's plan, or change `action`."""
    data = dict(form.cleaned_data)
    agreements = data.pop("agreements")
    return check_save_action(request.user, covenant, action, agreements=agreements, **data)


def _own_action(request: HttpRequest, pk: int) -> Action:
    action = actions_visible_to(request.user).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


@login_required
def action(request: HttpRequest, pk: int) -> HttpResponse:
    a = _own_action(request, pk)
    is_owner = (
        a.organisation_id == roles.organisation_id(request.user)
        and member_organisation(request.user, a.covenant) is not None
    )
    form = forms.ProgressForm(request.POST or None, request.FILES or None)
    edit = forms.ActionForm(None, instance=a, covenant=a.covenant)
    if request.method == "POST":
        if not is_owner:
            raise Http404
        if request.POST.get("do") == "edit":
            edit = forms.ActionForm(request.POST, instance=a, covenant=a.covenant)
            if submit(request, edit, lambda: _save_action(request, a.covenant, edit, a)):
                messages.success(request, _("Action saved."))
                return redirect("duediligence:action", pk=a.pk)
        elif submit(request, form, lambda: _add_progress(request, a, form)):
            messages.success(request, _("Progress recorded."))
            return redirect("duediligence:action", pk=a.pk)
    return render(
        request,
        "duediligence/action.html",
        {
            "a": a,
            "status": action_status(a),
            "status_label": _tracked(a)[2],
            "updates": a.updates.all(),
            "form": form,
            "edit": edit,
            "is_owner": is_owner,
            # Links to register entries and joint CAP items (apps above, via the registry).
            "plan_notes": plan_notes_for(request.user, [a.pk]).get(a.pk, []),
        },
    )


def _add_progress(request: HttpRequest, a: Action, form: forms.ProgressForm) -> ProgressUpdate:
    data = form.cleaned_data
    return check_add_progress(request.user, a, data["progress"], data["text"], data.get("evidence"))


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    upd = get_object_or_404(ProgressUpdate, pk=pk)
    _own_action(request, upd.action_id)  # scoped: 404 for anyone else
    if not upd.evidence:
        raise Http404
    return FileResponse(
        upd.evidence.open("rb"),
        as_attachment=True,
        filename=(upd.evidence.name or "evidence").rsplit("/", 1)[-1],
    )


@login_required
def case(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    covenant, org = member_covenant(request.user, slug)
    instance = None
    if pk is not None:
        instance = get_object_or_404(RemediationCase, pk=pk, covenant=covenant, organisation=org)
    actions = Action.objects.filter(covenant=covenant, organisation=org)
    form = forms.CaseForm(request.POST or None, instance=instance, actions=actions)
    if submit(
        request,
        form,
        lambda: check_save_case(request.user, covenant, instance, **form.cleaned_data),
    ):
        messages.success(request, _("Remediation case saved."))
        return redirect("duediligence:plan", slug=slug)
    return render(
        request,
        "duediligence/form.html",
        {"form": form, "title": _("Remediation case"), "back": ("duediligence:plan", slug)},
    )


# --- secretariat ------------------------------------------------------------------


@secretariat_page
def queue(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    years = sorted(
        set(Submission.objects.filter(covenant=covenant).values_list("year", flat=True)),
        reverse=True,
    )
    year = _year_param(request) or (years[0] if years else timezone.localdate().year)
    subs = list(review_queue(request.user, covenant, year))
    waiting = [
        s for s in subs if s.status in (Submission.Status.SUBMITTED, Submission.Status.UNDER_REVIEW)
    ]
    others = [s for s in subs if s not in waiting]
    return render(
        request,
        "duediligence/queue.html",
        {
            "covenant": covenant,
            "year": year,
            "years": years,
            "waiting": waiting,
            "others": others,
            "framework": active_framework(covenant),
            "overdue": improvements_overdue(request.user, covenant),
            "not_started": members_not_started(request.user, covenant, year),
        },
    )


@secretariat_page
@require_POST
def remind_not_started(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    year = _plausible_year(request.POST.get("year", "")) or timezone.localdate().year
    n = check_remind_not_started(request.user, covenant, year)
    messages.success(request, _("Reminder sent to %(n)s people.") % {"n": n})
    return redirect(f"{reverse('duediligence:queue', args=[covenant.slug])}?year={year}")


def _plausible_year(raw: str) -> int | None:
    """`raw` as a reporting year when it is a plausible one; anything else means "not given"."""
    year = whole_number(raw, max_digits=4)
    return year if year is not None and 1990 <= year <= 2200 else None


def _year_param(request: HttpRequest) -> int | None:
    """?year=, when it is a plausible reporting year."""
    return _plausible_year(request.GET.get("year", ""))


@secretariat_page
def figures(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    data = covenant_figures(covenant)
    return render(
        request,
        "duediligence/figures.html",
        {
            "covenant": covenant,
            "f": data,
            "element_rows": element_rows(data["years"]),
            "tracking": [(ACTION_STATUS_LABELS.get(k, k), v) for k, v in data["actions"].items()],
        },
    )


@secretariat_page
def export(request: HttpRequest, covenant: Covenant, fmt: str) -> HttpResponse:
    year = _year_param(request)
    header, rows = export_rows(request.user, covenant, year)
    return table_response(
        fmt,
        f"assessments-{covenant.slug}{'-' + str(year) if year else ''}",
        header,
        rows,
        {"covenant": covenant.name, "confidential": "assessment results per member"},
    )


@secretariat_page
def escalation(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    form = forms.EscalationForm(
        request.POST or None, covenant=covenant, initial={"date": timezone.localdate()}
    )

    def record_step() -> EscalationStep:
        d = form.cleaned_data
        return check_record_escalation(
            request.user,
            covenant,
            d["organisation"],
            d["step"],
            d["reason"],
            d["date"],
            d["deadline"],
            decision=d["decision"],
        )

    if submit(request, form, record_step):
        messages.success(request, _("Escalation step recorded."))
        return redirect("duediligence:escalation", slug=covenant.slug)
    steps = escalations(request.user, covenant)
    return render(
        request,
        "duediligence/escalation.html",
        {"covenant": covenant, "steps": steps, "form": form, "Step": EscalationStep.Step},
    )


@secretariat_page
def framework(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    """Install a ready-made framework; adapt the one in use (elements, questions, weights)."""
    fw = active_framework(covenant)
    do = request.POST.get("do") if request.method == "POST" else None
    install = forms.InstallForm(request.POST if do == "install" else None)
    element_form = forms.ElementForm(request.POST if do == "element" else None)
    question_form = (
        forms.QuestionForm(request.POST if do == "question" else None, framework=fw) if fw else None
    )
    if do:
        try:
            if do == "install" and install.is_valid():
                check_install_framework(request.user, covenant, install.cleaned_data["template"])
                messages.success(request, _("Framework installed and in use for new submissions."))
            elif fw is None:
                raise DomainError(_("Install a framework first."))
            elif do == "weights":
                check_set_weights(request.user, fw, _weights_from_post(request, fw))
                messages.success(request, _("Weights saved."))
            elif do == "element" and element_form.is_valid():
                check_add_element(request.user, fw, **element_form.cleaned_data)
                messages.success(request, _("Element added."))
            elif do == "question" and question_form is not None and question_form.is_valid():
                check_add_question(request.user, **question_form.cleaned_data)
                messages.success(request, _("Question added."))
            elif do == "remove":
                q = get_object_or_404(
                    Question, pk=request.POST.get("question") or 0, element__framework=fw
                )
                check_remove_question(request.user, q)
                messages.success(request, _("Question removed."))
            else:
                raise DomainError(_("Check the form: a field is missing or not valid."))
        except DomainError as e:
            messages.error(request, str(e))
        else:
            return redirect("duediligence:framework", slug=covenant.slug)
    return render(
        request,
        "duediligence/framework.html",
        {
            "covenant": covenant,
            "fw": fw,
            "install": install,
            "element_form": element_form,
            "question_form": question_form,
            "frozen": framework_frozen(fw) if fw else False,
            "elements": fw.elements.prefetch_related("questions") if fw else [],
        },
    )


def _weights_from_post(request: HttpRequest, fw: Any) -> dict[int, Decimal]:
    weights = {}
    for el in fw.elements.all():
        raw = request.POST.get(f"w{el.pk}", "").replace(",", ".")
        try:
            weights[el.pk] = Decimal(raw)
            if not weights[el.pk].is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise DomainError(
                _("Weight of %(el)s: %(v)s is not a number.") % {"el": shown(el.title), "v": raw}
            ) from None
    return weights

"""Joint-action pages. Thin: parse, call a service, render.

Every object is looked up through `JointAction.objects.visible_to(user)`, so
an action the user may not see answers 404, never 403."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imvo.accounts import seams as roles
from imvo.collective import overlap
from imvo.collective.models import (
    CapItem,
    CapKpi,
    Finding,
    JointAction,
    Leverage,
    Notice,
    ShareBand,
    Verifier,
)
from imvo.collective.report import country_label, country_rows, theme_label, theme_rows
from imvo.collective.services import access, cap, joint, kpi, ladder, links
from imvo.collective.services.figures import cap_figures
from imvo.collective.services.leverage import check_save_leverage, my_facilities
from imvo.core.countries import country_choices
from imvo.core.errors import DomainError
from imvo.core.flash import flash_outcome
from imvo.covenants.models import Agreement, Covenant
from imvo.covenants.seams import secretariat_page
from imvo.duediligence.models import Action as DdAction


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _date(value: Any, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(
            _("%(f)s: %(v)s is not a date (YYYY-MM-DD).") % {"f": label, "v": value}
        ) from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "collective/index.html",
        {
            "facilities": my_facilities(request.user),
            "actions": joint.actions_for(request.user),
            "may_propose": bool(_propose_covenants(request.user)),
        },
    )


@login_required
def leverage(request: HttpRequest, facility_id: int) -> HttpResponse:
    org = roles.organisation_id(request.user)
    if (
        org is None
        or not overlap.facilities_of(org)
        or not any(link.facility_id == facility_id for link in overlap.facilities_of(org))
    ):
        raise Http404(_("Not one of your facilities."))
    facility = overlap.facility(facility_id)
    record = (
        Leverage.objects.visible_to(request.user)
        .filter(organisation_id=org, facility_id=facility_id)
        .first()
    )
    if request.method == "POST" and flash_outcome(
        request,
        lambda: check_save_leverage(
            request.user,
            facility_id,
            request.POST.get("share_band", ""),
            _int(request.POST.get("years")) if request.POST.get("years") else None,
            _int(request.POST.get("order_value")) if request.POST.get("order_value") else None,
        ),
        _("Leverage saved."),
    ):
        return redirect("collective:index")
    return render(
        request,
        "collective/leverage.html",
        {"facility": facility, "record": record, "bands": ShareBand.choices},
    )


def _propose_covenants(user: Any) -> list[Covenant]:
    if roles.is_platform_admin(user):
        return list(Covenant.objects.order_by("name_en"))
    ids = set(roles.managed_covenant_ids(user)) | joint.proposing_covenant_ids(
        roles.organisation_id(user)
    )
    return list(Covenant.objects.filter(pk__in=ids).order_by("name_en"))


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    covenants = _propose_covenants(request.user)
    if not covenants:
        raise Http404(_("Joint actions are for covenant members and secretariats."))
    data = request.POST if request.method == "POST" else request.GET

    def propose_it() -> JointAction:
        covenant = next((c for c in covenants if c.pk == _int(data.get("covenant"))), None)
        if covenant is None:
            raise DomainError(_("Choose one of your covenants."))
        return joint.check_propose(
            request.user, covenant, data.get("title", ""), data.get("description", ""),
            facility_id=_int(data.get("facility")), country=data.get("country", ""),
            theme_code=data.get("theme", ""),
        )  # fmt: skip

    if request.method == "POST" and (
        done := flash_outcome(
            request,
            propose_it,
            _("Proposed. The other members that source there are invited without being named."),
        )
    ):
        return redirect("collective:action", done.result.pk)
    from imvo.risk.reference import THEME_LABELS

    return render(
        request,
        "collective/propose.html",
        {
            "covenants": covenants,
            "facilities": [f for f in my_facilities(request.user) if f.shared],
            "data": data,
            "themes": sorted(THEME_LABELS.items(), key=lambda theme: str(theme[1])),
            "countries": country_choices(),
        },
    )


def _visible_action(request: HttpRequest, pk: int) -> JointAction:
    return get_object_or_404(
        JointAction.objects.visible_to(request.user).select_related(
            "covenant", "facility", "proposed_by_org", "exit_plan"
        ),
        pk=pk,
    )


def _action_post(request: HttpRequest, action: JointAction) -> None:
    p, user = request.POST, request.user
    do = p.get("do", "")
    if do in joint.DECISIONS:
        joint.check_decide(user, action, do)
    elif do == "finding":
        cap.check_add_finding(user, action, p.get("source", ""), p.get("description", ""),
                              p.get("theme", ""), _date(p.get("found_on"), _("Found on")))  # fmt: skip
    elif do == "item":
        finding = get_object_or_404(Finding, pk=_int(p.get("finding")), action=action)
        cap.check_add_item(user, finding, p.get("fix", ""), p.get("owner", ""),
                           _date(p.get("deadline"), _("Deadline")), p.get("cost_estimate"),
                           p.get("owner_note", ""))  # fmt: skip
    elif do == "verifier":
        cap.check_name_verifier(user, action, p.get("username", ""), p.get("kind", ""))
    elif do == "consent":
        cap.check_consent(user, action, member=p.get("member") == "yes")
    elif do == "facility_consent":
        cap.check_consent(user, action, facility=p.get("facility") == "yes", note=p.get("note", ""))
    elif do == "notice":
        ladder.check_send_notice(user, action, p.get("text", ""))
    elif do == "exit":
        ladder.check_exit(user, action, p.get("worker_protection", ""),
                          p.get("wages_and_severance", ""),
                          _date(p.get("phase_out_until"), _("Orders phased out until")),
                          p.get("union_consulted") == "yes")  # fmt: skip
    elif do == "close":
        cap.check_close(user, action)
    elif do == "invite_new":
        n = joint.check_invite_newcomers(user, action)
        if joint.invitation_counts_shown(user, action):
            messages.info(
                request,
                ngettext(
                    "%(n)d member that sources there now was invited.",
                    "%(n)d members that source there now were invited.",
                    n,
                )
                % {"n": n},
            )
        else:
            messages.info(
                request,
                _(
                    "Members that began sourcing there since, if any, were invited. How many "
                    "is not shown while fewer than %(k)s members source there."
                )
                % {"k": overlap.disclosure_threshold(action.covenant_id)},
            )
    else:
        raise DomainError(_("Unknown request."))


@login_required
def action(request: HttpRequest, pk: int) -> HttpResponse:
    a = _visible_action(request, pk)
    if request.method == "POST":
        flash_outcome(request, lambda: _action_post(request, a), _("Saved."))
        # A member that declined or left sees the action no more.
        if JointAction.objects.visible_to(request.user).filter(pk=a.pk).exists():
            return redirect("collective:action", a.pk)
        return redirect("collective:index")
    user = request.user
    # Who takes part, read once: the page asks it of the user's part, the
    # invitations, the joined members and the public status.
    rows = list(a.participations.select_related("organisation"))
    standing = access.standing(user, a, rows)
    mine, sees_members = standing.mine, standing.sees_members
    findings = list(a.findings.prefetch_related("items__shares__organisation"))
    all_items = [i for f in findings for i in f.items.all()]
    item_links = links.links_of_items(user, all_items)
    items = [
        {
            "item": i,
            "shares": list(i.shares.all()) if sees_members else [],
            "agreed": cap.shares_agreed(i),
            "my_share": next(
                (s for s in i.shares.all() if mine and s.organisation_id == mine.organisation_id),
                None,
            ),
            "links": item_links.get(i.pk, []),
        }
        for i in all_items
    ]
    verifiers = list(a.verifiers.select_related("user"))
    notices = list(a.notices.all())
    return render(
        request,
        "collective/action.html",
        {
            "action": a,
            "mine": mine,
            "invited": standing.invited,
            "joined": standing.joined,
            "steward": standing.steward,
            "works": standing.works and a.status == JointAction.Status.OPEN,
            "verifier": any(v.user_id == user.pk for v in verifiers),
            "sees_members": sees_members,
            "people": joint.people(user, a, rows, standing),
            "findings": findings,
            "items": items,
            "joined_orgs": joint.joined_organisations(a, rows) if sees_members else [],
            "verifiers": verifiers if sees_members else [],
            "notices": notices,
            "next_notice": Notice.Level(n).label if (n := ladder.next_level(a, notices)) else None,
            "exit_plan": getattr(a, "exit_plan", None),
            "public": cap.is_public(a, rows),
            "sources": Finding.Source.choices,
            "owners": CapItem.Owner.choices,
            "kinds": Verifier.Kind.choices,
            "plan_actions": links.plan_actions_for(user, a.covenant_id) if mine else [],
            "theme": theme_label(a.theme_code) if a.theme_code else "",
            "country": country_label(a.country),
        },
    )


def _item_post(request: HttpRequest, item: CapItem) -> None:
    p, user = request.POST, request.user
    do = p.get("do", "")
    if do == "shares":
        shares = {
            org_id: p.get(f"share_{org_id}", "")
            for org_id in (_int(k.removeprefix("share_")) for k in p if k.startswith("share_"))
            if org_id is not None
        }
        cap.check_set_shares(user, item, shares)
    elif do == "agree":
        cap.check_agree_share(user, item)
    elif do == "status":
        cap.check_report(user, item, p.get("status", ""), p.get("evidence", ""))
    elif do == "verify":
        cap.check_verify(user, item, p.get("accept") == "yes", p.get("note", ""))
    elif do == "link":
        plan_action = _int(p.get("plan_action"))
        if plan_action is None:
            raise DomainError(_("Choose one of your action-plan actions."))
        links.check_link(user, plan_action, cap_item=item)
    else:
        raise DomainError(_("Unknown request."))


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    visible = JointAction.objects.visible_to(request.user)
    i = get_object_or_404(CapItem.objects.select_related("finding__action"), pk=pk,
                          finding__action__in=visible)  # fmt: skip
    flash_outcome(request, lambda: _item_post(request, i), _("Saved."))
    return redirect("collective:action", i.finding.action_id)


@login_required
def plan_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Link one of the member's own action-plan actions to its register entries and to
    items of joint actions it joined. Anyone else's action answers 404."""
    org = roles.organisation_id(request.user)
    plan_action = get_object_or_404(
        DdAction.objects.visible_to(request.user).select_related("covenant"),
        pk=pk, organisation_id=org if org is not None else -1,
    )  # fmt: skip
    if request.method == "POST" and flash_outcome(
        request,
        lambda: links.check_set_links(
            request.user,
            plan_action.pk,
            request.POST.getlist("entry"),
            request.POST.getlist("item"),
        ),
        _("Links saved."),
    ):
        return redirect("collective:plan_links", plan_action.pk)
    current = links.links_of_plan_action(request.user, plan_action)
    return render(
        request,
        "collective/plan_links.html",
        {
            "plan_action": plan_action,
            "entries": links.linkable_entries(request.user, plan_action),
            "items": links.linkable_items(request.user, plan_action),
            "linked_entries": {x.register_entry_id for x in current if x.register_entry_id},
            "linked_items": {x.cap_item_id for x in current if x.cap_item_id},
        },
    )


@secretariat_page
def kpis(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    """The secretariat ties covenant agreements to a CAP measure (their KPI is then
    recorded by the platform). Anyone else: 404."""
    agreements = list(Agreement.objects.filter(covenant=covenant))

    def tie_all() -> None:
        for a in agreements:
            wanted = request.POST.get(f"measure_{a.pk}", "")
            if wanted != kpi.ties_of(covenant).get(a.pk, ""):
                kpi.check_tie(request.user, a, wanted)

    if request.method == "POST" and flash_outcome(request, tie_all, _("Saved.")):
        return redirect("collective:kpis", covenant.slug)
    ties = kpi.ties_of(covenant)
    return render(
        request,
        "collective/kpis.html",
        {
            "covenant": covenant,
            "rows": [(a, ties.get(a.pk, "")) for a in agreements],
            "measures": CapKpi.Measure.choices,
        },
    )


def public(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = get_object_or_404(Covenant, slug=slug)
    f = cap_figures(covenant)
    return render(
        request,
        "collective/public.html",
        {
            "covenant": covenant,
            "figures": f,
            "by_country": country_rows(f),
            "by_theme": theme_rows(f),
        },
    )

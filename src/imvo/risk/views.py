"""Risk pages: the company's scan, heatmap and register; the covenant's sector risk analysis;
the method and the sources. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.accounts import seams as roles
from imvo.core.countries import display_name as country_name
from imvo.core.errors import DomainError
from imvo.core.exports import table_response
from imvo.core.forms import submit
from imvo.core.registry import risk_notes_for
from imvo.risk import party_release, services
from imvo.risk import reference as ref
from imvo.risk.forms import EntryForm, NewEntryForm, SourcingForm
from imvo.risk.models import PartyRelease, RegisterEntry, SourcingEntry
from imvo.risk.scan import heatmap, theme_summary, top_rows
from imvo.supplychain.seams import disclosure_threshold

# The register download's columns: (stable key, the name a person reads). The JSON
# download keeps the keys; CSV and Excel head each column with its name in the
# reader's language (decision in docs/risk.md, "Register download").
REGISTER_COLUMNS = [
    ("rank", gettext_lazy("Rank")),
    ("priority", gettext_lazy("Priority")),
    ("computed priority", gettext_lazy("Computed priority")),
    ("override reason", gettext_lazy("Reason for setting or withdrawing the priority by hand")),
    ("theme", gettext_lazy("Theme")),
    ("country", gettext_lazy("Country")),
    ("title", gettext_lazy("Title")),
    ("scale", gettext_lazy("Scale")),
    ("scope", gettext_lazy("Scope")),
    ("irremediable", gettext_lazy("Irremediable character")),
    ("severity", gettext_lazy("Severity (3..12)")),
    ("likelihood", gettext_lazy("Likelihood (1..4)")),
    ("involvement", gettext_lazy("Involvement")),
    ("leverage", gettext_lazy("Leverage")),
    ("share of output %", gettext_lazy("Share of the facility's output you buy (%)")),
    ("members sharing", gettext_lazy("Other covenant members sourcing there")),
    ("status", gettext_lazy("Status")),
    ("owner", gettext_lazy("Owner")),
    ("inherent risk", gettext_lazy("Inherent risk from the scan")),
    ("reasons", gettext_lazy("Where the scan's number comes from")),
]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    org = services.member_company(request.user)
    form = SourcingForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.add_sourcing(
            request.user, org, **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        ),
        error_field="country",
    ):
        messages.success(request, _("Added to your sourcing."))
        return redirect("risk:dashboard")
    result = services.company_scan(org)
    return render(
        request,
        "risk/dashboard.html",
        {
            "organisation": org,
            "form": form,
            "sourcing": SourcingEntry.objects.filter(organisation=org),
            "themes": theme_summary(result),
            "heat": heatmap(result),
            "top_rows": top_rows(result),
            "rows": result.rows.height,
            "unresolved": result.unresolved.height,
            "attribution": result.attribution,
            "entries": services.register_entries(org)[:5],
        },
    )


@login_required
def sourcing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    org = services.member_company(request.user)
    entry = get_object_or_404(SourcingEntry, pk=pk, organisation=org)
    if request.method == "POST":
        services.remove_sourcing(request.user, entry)
        messages.success(request, _("Removed from your sourcing."))
    return redirect("risk:dashboard")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    org = services.member_company(request.user)
    new_form = (
        NewEntryForm(request.POST or None)
        if request.POST.get("action") == "add"
        else NewEntryForm()
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "from_scan":
                created = services.register_from_scan(request.user, org)
                messages.success(
                    request, _("%(n)d risk(s) added from the scan.") % {"n": len(created)}
                )
                return redirect("risk:register")
            if new_form.is_valid():
                e = services.create_entry(request.user, org, **new_form.cleaned_data)
                return redirect("risk:entry", pk=e.pk)
        except DomainError as e:
            messages.error(request, str(e))
    entries = RegisterEntry.objects.visible_to(request.user).filter(organisation=org)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx", "json"):
        from imvo.risk import reasons, scan

        # People open CSV and Excel: column names and reasons in their language; JSON is
        # for programs: stable English keys and the reasons as stored (docs/risk.md).
        readable = fmt != "json"
        rows = [
            [
                i,
                e.priority,
                e.computed_priority,
                e.override_reason,
                e.theme_code,
                e.country,
                e.title,
                e.scale,
                e.scope,
                e.irremediability,
                e.severity,
                e.likelihood,
                e.involvement,
                e.leverage,
                e.leverage_share,
                e.members_sharing,
                e.status,
                e.owner,
                e.inherent_score,
                (reasons.reason_text if readable else scan.reason_text)(e.reasons),
            ]
            for i, e in enumerate(entries, start=1)
        ]
        attribution = [
            s["name"] + f" {s['edition_year']} ({s['publisher']}, {s['licence']})"
            for s in services.sources_in_use()
        ]
        return table_response(
            fmt,
            f"risk-register-{org.slug}",
            [key for key, _label in REGISTER_COLUMNS],
            rows,
            {"organisation": org.name, "exported": services.stamp(), "sources": attribution},
            labels=[str(label) for _key, label in REGISTER_COLUMNS],
        )
    # Apps above risk add notes per entry (leverage, shared facilities, joint action);
    # the order of the entries is the register's own.
    ranked = list(entries)
    notes = risk_notes_for(request.user, [e.pk for e in ranked])
    return render(
        request,
        "risk/register.html",
        {
            "organisation": org,
            "rows": [(e, notes.get(e.pk, [])) for e in ranked],
            "new_form": new_form,
        },
    )


@login_required
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped lookup: another company's entry is a 404, never a 403.
    e = get_object_or_404(RegisterEntry.objects.visible_to(request.user), pk=pk)
    initial = {f: getattr(e, f) for f in services.EDITABLE}
    initial["override_priority"] = e.override_priority
    form = EntryForm(request.POST or None, initial=initial)
    if submit(request, form, lambda: services.update_entry(request.user, e, **form.cleaned_data)):
        messages.success(request, _("Saved."))
        return redirect("risk:entry", pk=e.pk)
    return render(
        request,
        "risk/entry.html",
        {
            "e": e,
            "form": form,
            "overrides": e.overrides.select_related("by"),
            "response": services.suggested_response(e),
            "theme_label": ref.THEME_LABELS.get(e.theme_code, e.theme_code),
            "country": f"{country_name(e.country)} ({e.country})" if e.country else "-",
        },
    )


def method(request: HttpRequest) -> HttpResponse:
    """The ranking method in the product, with worked examples computed by the same code."""
    examples = [
        (
            _("Forced labour in a quarry: very serious, many people, irreversible; unlikely"),
            4,
            3,
            4,
            1,
        ),
        (
            _("Late payment of overtime: moderate, a group, remediable soon; almost certain"),
            2,
            2,
            1,
            4,
        ),
        (
            _("Fire safety in a garment factory: very serious, many, irreversible; possible"),
            4,
            3,
            4,
            2,
        ),
        (_("Excessive overtime: serious, many people, remediable with effort; likely"), 3, 3, 2, 3),
    ]
    rows = [
        {
            "label": label,
            "scale": a,
            "scope": b,
            "irr": c,
            "lik": d,
            "severity": services.severity_of(a, b, c),
            "priority": services.compute_priority(a, b, c, d),
        }
        for label, a, b, c, d in examples
    ]
    rows.sort(key=lambda r: -float(r["priority"]))  # type: ignore[arg-type]
    profiles = [
        {
            "key": k,
            "label": ref.SECTOR_LABELS[k],
            "why": p["why"],
            "weights": [(ref.THEME_LABELS[t], p["weights"][t]) for t in ref.THEME_CODES],
        }
        for k, p in ref.SECTOR_PROFILES.items()
    ]
    indicators = [
        {
            "code": c,
            "label": _(i["label"]),  # stored English (gettext_noop), shown translated
            "why": i["why"],
            "themes": [ref.THEME_LABELS[t] for t in i["themes"]],
        }
        for c, i in ref.INDICATORS.items()
    ]
    return render(
        request,
        "risk/method.html",
        {
            "examples": rows,
            "scales": [
                (_("Scale"), services.SCALE_LABELS["scale"]),
                (_("Scope"), services.SCALE_LABELS["scope"]),
                (_("Irremediable character"), services.SCALE_LABELS["irremediability"]),
                (_("Likelihood"), services.SCALE_LABELS["likelihood"]),
            ],
            "profiles": profiles,
            "indicators": indicators,
            "high": ref.HIGH,
            "medium": ref.MEDIUM,
            "sources": services.sources_in_use(),
        },
    )


@login_required
def covenant(request: HttpRequest, slug: str) -> HttpResponse:
    """The covenant's sector risk analysis (aggregates across members): for its
    secretariat, and for its union, NGO, government and branch parties."""
    from imvo.covenants.models import Covenant

    c = get_object_or_404(Covenant, slug=slug)
    secretariat = roles.is_secretariat(request.user, c)
    if not (secretariat or services.is_non_company_party(request.user, c)):
        raise Http404
    k = disclosure_threshold(c)
    release: PartyRelease | None = None
    released: party_release.ReleaseState | None = None
    if secretariat:
        analysis = services.covenant_analysis(c)
        released = party_release.state(c, analysis, k)
        withheld = False
    else:
        # Parties read the last release (`party_release`): aggregates only when K
        # members stand behind them, a country only when K members source there, and
        # a change only once K members' sourcing changed (T51).
        analysis, release = party_release.for_parties(c, k)
        k = release.minimum
        withheld = analysis["companies"] < k
    analysis["profile"] = services.sector_profile(c)
    return render(
        request,
        "risk/covenant.html",
        {
            "a": analysis,
            "covenant": c,
            "withheld": withheld,
            "minimum": k,
            "release": release,
            "released": released,
        },
    )

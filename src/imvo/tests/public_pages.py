"""The one list of the platform's public pages, with the data that makes every part render.

Every check that must hold on every public page (translated in every shipped
language, zero axe violations, usable at 320 px) reads its pages from here.
A new public page is added to `PUBLIC_PAGES` (or to `public_pages()` when its
URL needs an id); the checks then cover it without further work.

The supply-chain public production-location list is added when that app is
installed, with a member's list uploaded and matched.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.testing import (
    adhere,
    make_agreement,
    make_covenant,
    make_org,
    make_secretariat,
    reports_published_without_pdf,
)

SLUG = "garment-textile"

# Pages whose URL does not depend on data created at run time.
PUBLIC_PAGES = [
    "/",
    f"/covenants/{SLUG}/",
    "/accounts/login/",
    "/no-such-page/",
    "/complaints/new/",
    "/complaints/follow/",
    "/complaints/figures/",
    f"/complaints/figures/{SLUG}/",
    "/complaints/outcomes/",
    f"/complaints/register/{SLUG}/",
    "/risk/method/",
    "/reports/",
    "/reports/dashboard/",
    f"/reports/dashboard/{SLUG}/",
    f"/reports/{SLUG}/2025/",
    "/reports/library/",
    "/reports/library/?q=guide",
    "/reports/open-data/",
]


def public_pages() -> list[str]:
    """Create a covenant with members, governance, agreements with data, a published report
    and a library item, and return the URL of every public page."""
    from imvo.covenants.models import GovernanceBody, KpiMeasurement, Seat
    from imvo.library import services as library
    from imvo.reporting.services import publication as reporting_publication

    c = make_covenant(slug=SLUG, start_date=date(2023, 7, 1), end_date=date(2028, 6, 30))
    member = adhere(c, make_org("Tulipa Textiles")).organisation
    adhere(c, make_org("FNV", type="union"))
    adhere(c, make_org("WUR", type="knowledge"), role="stakeholder")
    withdrawn = adhere(c, make_org("Gone B.V."))
    withdrawn.status = "withdrawn"
    withdrawn.until = date(2025, 1, 1)
    withdrawn.save()
    body = GovernanceBody.objects.create(covenant=c, name_nl="Stuurgroep", name_en="Steering group")
    Seat.objects.create(body=body, group="independent", is_chair=True, holder="Chair")
    Seat.objects.create(body=body, group="business", holder="A")
    Seat.objects.create(body=body, group="unions", holder="B")
    a = make_agreement(c, number="1")
    KpiMeasurement.objects.create(
        agreement=a, date=date(2025, 3, 31), value=Decimal(30), source="x"
    )
    make_agreement(c, number="2")  # one without data
    step = c.steps.first()
    step.status = "done"
    step.completed = date(2024, 1, 1)
    step.save()

    secretariat = make_secretariat(c, "public_pages_secretariat")
    with reports_published_without_pdf():  # pages only: the PDF is reporting's test
        reporting_publication.publish_report(secretariat, c, 2025)
    member_user = make_user("public_pages_member", organisation=member)
    item = library.publish_learning_item(member_user, c, "Guide", "Text")
    pages = [*PUBLIC_PAGES, f"/reports/library/{item.pk}/"]
    if apps.is_installed("imvo.supplychain"):
        from imvo.supplychain import services as supplychain
        from imvo.supplychain.tests.helpers import csv_bytes, make_registry

        make_registry()
        rows = [
            ["Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur Industrial Area", "BD"],
            ["Saigon Sewing JSC", "45 Tan Thuan Road, District 7, Ho Chi Minh City", "VN"],
        ]
        # Tests run tasks immediately: the list is matched when this returns.
        supplychain.upload_list(
            member_user, c, timezone.localdate().year, "list.csv", csv_bytes(rows)
        )
        pages += [
            f"/supply-chain/public/{SLUG}/",
            f"/supply-chain/public/{SLUG}/?q=dhaka",
            f"/supply-chain/public/{SLUG}/map/",
        ]
        if apps.is_installed("imvo.collective"):
            pages += _joint_action(c, member_user, rows[:1])
    return pages


def _joint_action(c, member_user, rows) -> list[str]:
    """A second member shares the Dhaka facility; a joint CAP with a verified item,
    public with every consent, so the dashboard section and the public page show all."""
    from imvo.collective import overlap
    from imvo.collective.services import cap
    from imvo.collective.tests.helpers import fire_safety_plan
    from imvo.supplychain import services as supplychain
    from imvo.supplychain.models import DisclosurePolicy
    from imvo.supplychain.tests.helpers import csv_bytes

    # Members act jointly only once K members disclose: K is 3 here (the floor), and a
    # second and third member disclose the Dhaka facility too.
    DisclosurePolicy.objects.update_or_create(covenant=c, defaults={"min_members": 3})
    year = timezone.localdate().year
    second = adhere(c, make_org("Noord Mode")).organisation
    second_user = make_user("public_pages_member_2", organisation=second)
    supplychain.upload_list(second_user, c, year, "list.csv", csv_bytes(rows))
    third = adhere(c, make_org("Zuid Textiel")).organisation
    third_user = make_user("public_pages_member_3", organisation=third)
    supplychain.upload_list(third_user, c, year, "list.csv", csv_bytes(rows))
    facility = next(iter(overlap.facilities_of(second.pk, c.pk))).facility_id
    action, item = fire_safety_plan(member_user, second_user, c, facility)
    union = make_user("public_pages_union", organisation=None)
    cap.check_name_verifier(member_user, action, union.username, "union")
    cap.check_report(member_user, item, "reported", "Photos")
    cap.check_verify(union, item, True, "Seen")
    cap.check_consent(member_user, action, member=True, facility=True, note="Owner, by letter")
    cap.check_consent(second_user, action, member=True)
    return [f"/collective/public/{SLUG}/"]

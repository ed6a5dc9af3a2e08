from django.urls import path

from imvo.covenants import governance_views as gov
from imvo.covenants import membership_views as mem
from imvo.covenants import party_views as party
from imvo.covenants import views

app_name = "covenants"

urlpatterns = [
    path("covenants/<slug:slug>/", views.detail, name="detail"),
    path("manage/", views.manage_index, name="manage_index"),
    path("manage/new/", views.covenant_create, name="create"),
    path("manage/<slug:slug>/", views.manage, name="manage"),
    path("manage/<slug:slug>/edit/", views.covenant_edit, name="edit"),
    path("manage/<slug:slug>/organisations/new/", views.organisation_add, name="organisation_add"),
    path("manage/<slug:slug>/adherences/new/", views.adherence_add, name="adherence_add"),
    path(
        "manage/<slug:slug>/adherences/<int:pk>/", views.adherence_change, name="adherence_change"
    ),
    path("manage/<slug:slug>/agreements/new/", views.agreement_edit, name="agreement_add"),
    path("manage/<slug:slug>/agreements/<int:pk>/", views.agreement_edit, name="agreement_edit"),
    path(
        "manage/<slug:slug>/agreements/<int:pk>/measurements/new/",
        views.measurement_add,
        name="measurement_add",
    ),
    path("manage/<slug:slug>/steps/<int:pk>/", views.step_edit, name="step_edit"),
    path("organisation/", views.my_organisation, name="my_organisation"),
    # Governance: public pages (what each reader may see) and the secretariat's.
    path("covenants/<slug:slug>/governance/", gov.governance_page, name="governance"),
    path("covenants/<slug:slug>/meetings/<int:pk>/", gov.meeting_page, name="meeting"),
    path("covenants/<slug:slug>/decisions/<int:pk>/", gov.decision_page, name="decision"),
    path("covenants/<slug:slug>/papers/<int:pk>/", gov.paper_file, name="paper_file"),
    path("manage/<slug:slug>/governance/", gov.manage_governance, name="manage_governance"),
    path("manage/<slug:slug>/bodies/new/", gov.body_add, name="body_add"),
    path("manage/<slug:slug>/bodies/<int:pk>/seats/new/", gov.seat_add, name="seat_add"),
    path("manage/<slug:slug>/seats/<int:pk>/remove/", gov.seat_remove, name="seat_remove"),
    path("manage/<slug:slug>/bodies/<int:pk>/meetings/new/", gov.meeting_add, name="meeting_add"),
    path("manage/<slug:slug>/meetings/<int:pk>/", gov.meeting_manage, name="meeting_manage"),
    path(
        "manage/<slug:slug>/bodies/<int:pk>/decisions/new/", gov.decision_add, name="decision_add"
    ),
    # Membership: applying (public) and the secretariat's decision.
    path("covenants/<slug:slug>/apply/", mem.apply, name="apply"),
    path("manage/<slug:slug>/applications/", mem.applications, name="applications"),
    path(
        "manage/<slug:slug>/applications/<int:pk>/",
        mem.application_decide,
        name="application_decide",
    ),
    # Every party's own place: workspace, obstacles register, a branch's reminders.
    path("parties/", party.workspace, name="workspace"),
    path("parties/<slug:slug>/obstacles/", party.obstacles, name="obstacles"),
    path("parties/<slug:slug>/obstacles/<int:pk>/", party.obstacle, name="obstacle"),
    path("parties/<slug:slug>/remind/", party.remind, name="remind"),
    path("parties/<slug:slug>/kpis/", party.kpis, name="kpis"),
]

from django.urls import path

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
]

from django.urls import path

from imvo.regulation import views

app_name = "regulation"

urlpatterns = [
    path("", views.index, name="index"),
    path("c/<slug:slug>/mapping/", views.mapping_table, name="mapping"),
    path("c/<slug:slug>/engagement/", views.engagement_log, name="engagement"),
    path("c/<slug:slug>/plots/", views.plots, name="plots"),
    path("c/<slug:slug>/plots.geojson", views.plots_geojson, name="plots_geojson"),
    path("c/<slug:slug>/forced-labour/", views.forced_labour_page, name="forced_labour"),
    path("c/<slug:slug>/suppliers/", views.supplier_requests, name="suppliers"),
    path("supplier/<str:token>/", views.supplier_form, name="supplier_form"),
    path("engagement/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("submissions/<int:pk>/esrs-s2.<str:fmt>", views.esrs_draft, name="esrs"),
    path("submissions/<int:pk>/csddd-pack.zip", views.csddd_pack, name="pack"),
    path("documents/<int:pk>/", views.document, name="document"),
]

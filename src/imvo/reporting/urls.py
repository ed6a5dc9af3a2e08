from django.urls import path

from imvo.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.overview, name="overview"),
    path("dashboard/<slug:slug>/", views.dashboard, name="dashboard"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:name>.<str:fmt>", views.open_data_table, name="open_data_table"),
    path("<slug:slug>/<int:year>/", views.report, name="report"),
    path("<slug:slug>/<int:year>/v<int:version>/", views.report, name="report_version"),
    path("<slug:slug>/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<slug:slug>/<int:year>/draft/", views.draft, name="draft"),
    path("<slug:slug>/<int:year>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("<slug:slug>/<int:year>/draft/text/", views.section_text, name="section_text"),
    path("<slug:slug>/<int:year>/publish/", views.publish, name="publish"),
]

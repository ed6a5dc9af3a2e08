from django.urls import path

from imvo.duediligence import views

app_name = "duediligence"

urlpatterns = [
    path("", views.index, name="index"),
    path("c/<slug:slug>/start/", views.start, name="start"),
    path("c/<slug:slug>/plan/", views.plan, name="plan"),
    path("c/<slug:slug>/cases/new/", views.case, name="case_new"),
    path("c/<slug:slug>/cases/<int:pk>/", views.case, name="case"),
    path("c/<slug:slug>/queue/", views.queue, name="queue"),
    path("c/<slug:slug>/remind/", views.remind_not_started, name="remind"),
    path("c/<slug:slug>/figures/", views.figures, name="figures"),
    path("c/<slug:slug>/export.<str:fmt>", views.export, name="export"),
    path("c/<slug:slug>/escalation/", views.escalation, name="escalation"),
    path("c/<slug:slug>/framework/", views.framework, name="framework"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("submissions/<int:pk>/start-review/", views.start_review, name="start_review"),
    path("submissions/<int:pk>/review/", views.review, name="review"),
    path("submissions/<int:pk>/letter.pdf", views.letter, name="letter"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]

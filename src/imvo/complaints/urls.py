from django.urls import path

from imvo.complaints import views

app_name = "complaints"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("follow/", views.follow, name="follow"),
    path("follow/file/", views.follow_file, name="follow_file"),
    path("figures/", views.figures, name="figures"),
    path("figures/<slug:slug>/", views.figures, name="figures_covenant"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("register/<slug:slug>/", views.register, name="register"),
    path("on-behalf/", views.file_on_behalf, name="on_behalf"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/evidence/<int:eid>/", views.evidence, name="evidence"),
    path("cases/<int:pk>/shared/<int:number>/", views.shared_file, name="shared_file"),
    path("cases/<int:pk>/answers/<int:fid>/", views.answer_file, name="answer_file"),
    path("overdue/", views.overdue, name="overdue"),
    path("committee/<slug:slug>/", views.committee, name="committee"),
]

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
    # A case is addressed by its random reference (T39), never by its database id:
    # an id address is no case at all, so it answers 404 to everyone alike.
    path("cases/<str:ref>/", views.case, name="case"),
    path("cases/<str:ref>/evidence/<int:eid>/", views.evidence, name="evidence"),
    path("cases/<str:ref>/shared/<int:number>/", views.shared_file, name="shared_file"),
    path("cases/<str:ref>/answers/<int:number>/", views.answer_file, name="answer_file"),
    path("overdue/", views.overdue, name="overdue"),
    path("committee/<slug:slug>/", views.committee, name="committee"),
]

from django.urls import path

from imvo.collective import views

app_name = "collective"

urlpatterns = [
    path("", views.index, name="index"),
    path("leverage/<int:facility_id>/", views.leverage, name="leverage"),
    path("propose/", views.propose, name="propose"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("items/<int:pk>/", views.item, name="item"),
    path("plan/<int:pk>/", views.plan_links, name="plan_links"),
    path("kpi/<slug:slug>/", views.kpis, name="kpis"),
    path("public/<slug:slug>/", views.public, name="public"),
]

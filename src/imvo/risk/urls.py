from django.urls import path

from imvo.risk import views

app_name = "risk"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sourcing/<int:pk>/delete/", views.sourcing_delete, name="sourcing_delete"),
    path("register/", views.register, name="register"),
    path("register/<int:pk>/", views.entry, name="entry"),
    path("method/", views.method, name="method"),
    path("covenant/<slug:slug>/", views.covenant, name="covenant"),
]

from django.urls import path

from imvo.parties import views

app_name = "parties"

urlpatterns = [
    path("signals/", views.signals, name="signals"),
    path("signals/<int:pk>/", views.signal, name="signal"),
    path("<slug:slug>/signals/new/", views.signal_new, name="signal_new"),
    path("<slug:slug>/locations/", views.locations, name="locations"),
]

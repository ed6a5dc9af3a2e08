from django.urls import path

from imvo.library import views

app_name = "library"

# Mounted at /reports/library/ (imvo/urls.py): the addresses people know stay.
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("file/<int:pk>/", views.attachment, name="attachment"),
]

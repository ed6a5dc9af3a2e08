from django.urls import path

from imvo.supplychain import review_views, views

app_name = "supplychain"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("lists/<int:pk>/", views.list_detail, name="list"),
    path("lists/<int:pk>/progress/", views.list_progress, name="progress"),
    path("lists/<int:pk>/mapping/", views.mapping, name="mapping"),
    path("lists/<int:pk>/run-again/", views.rerun, name="rerun"),
    path("lists/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("disclosures/<int:pk>/", views.disclosure_history, name="disclosure"),
    path("lists/<int:pk>/rows/", views.rows, name="rows"),
    path("lists/<int:pk>/decisions/", review_views.list_queue, name="pending"),
    path("lists/<int:pk>/processed.<str:fmt>", views.export_processed, name="export"),
    path("lists/<int:pk>/errors.<str:fmt>", views.export_errors, name="errors"),
    path("lists/<int:pk>/original", views.original, name="original"),
    path("review/", review_views.queue, name="review"),
    path("matches/<int:pk>/why/", review_views.why, name="why"),
    path("matches/<int:pk>/decide/", review_views.decide, name="decide"),
    path("shared/<slug:slug>/", views.shared, name="shared"),
    path("public/<slug:slug>/", views.public_list, name="public"),
    path("public/<slug:slug>/map/", views.public_map, name="public_map"),
    path("publication/<slug:slug>/", views.publication_page, name="publication"),
]

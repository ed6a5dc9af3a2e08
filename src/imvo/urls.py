from django.contrib import admin
from django.urls import include, path

from imvo.accounts import views as account_views
from imvo.api import api
from imvo.core import views as core_views
from imvo.covenants import views as covenant_views

urlpatterns = [
    path("", covenant_views.home, name="home"),
    path("", include("imvo.covenants.urls")),
    path("accounts/", include("imvo.accounts.urls")),
    path("supply-chain/", include("imvo.supplychain.urls")),
    path("risk/", include("imvo.risk.urls")),
    path("due-diligence/", include("imvo.duediligence.urls")),
    path("complaints/", include("imvo.complaints.urls")),
    path("collective/", include("imvo.collective.urls")),
    path("reports/library/", include("imvo.library.urls")),
    path("regulation/", include("imvo.regulation.urls")),
    path("parties/", include("imvo.parties.urls")),
    path("reports/", include("imvo.reporting.urls")),
    path("health/", core_views.health, name="health"),
    path("health/live/", core_views.live, name="health-live"),
    path("health/ready/", core_views.ready, name="health-ready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    # Before the admin's own: its form took the password alone (docs/security.md, T44).
    path("admin/login/", account_views.admin_login),
    path("admin/", admin.site.urls),
]

# No route serves MEDIA_ROOT, not even with DEBUG on (the demo): stored files
# (supplier lists, evidence, retained exports) leave only through their scoped
# download views. Django's `static(MEDIA_URL)` handed any of them to anyone
# holding the path, signed in or not (docs/security.md, T21).

handler404 = "imvo.core.views.not_found"
handler403 = "imvo.core.views.forbidden"
handler500 = "imvo.core.views.server_error"

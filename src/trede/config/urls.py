from django.urls import include, path, register_converter

from trede.web.converters import IdConverter

register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("trede.web.urls")),
    path("", include("trede.caseload.urls")),
    path("", include("trede.clients.urls")),
    path("", include("trede.obligations.urls")),
    path("", include("trede.intake.urls")),
    path("", include("trede.activation.urls")),
    path("", include("trede.activation.dashboard_urls")),
    path("", include("trede.employers.urls")),
    path("", include("trede.sanctions.urls")),
    path("", include("trede.outreach.urls")),
    path("", include("trede.outreach.letter_urls")),
    path("", include("trede.core.urls")),
    path("", include("trede.outcomes.urls")),
    path("", include("trede.pilots.urls")),
    path("", include("trede.scenarios.urls")),
    path("api/v1/", include("trede.api.urls")),
]

handler403 = "trede.web.views.forbidden"
handler404 = "trede.web.views.not_found"

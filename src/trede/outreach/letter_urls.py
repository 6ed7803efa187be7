"""URLs of the invitation letters (outreach.letter_views)."""

urlpatterns: list = []

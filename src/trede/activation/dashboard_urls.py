"""The activation dashboard's pages (policy figures)."""

urlpatterns: list = []

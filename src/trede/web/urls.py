from django.contrib.auth import views as auth_views
from django.urls import path

from trede.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("taal/", views.set_language, name="set-language"),
]

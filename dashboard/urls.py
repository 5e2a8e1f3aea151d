from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("procurement/", views.procurement, name="procurement"),
    path("sro/", views.sro, name="sro"),
    path("my-work/", views.my_work, name="my_work"),
    path("suppliers/", views.suppliers, name="suppliers"),
    path("lists/<slug:slug>/", views.panel_list, name="list"),
]

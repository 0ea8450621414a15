from django.urls import path

from workshops import views

app_name = "workshops"

urlpatterns = [
    path("", views.workshop_list, name="workshop_list"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("submit/", views.submission_create, name="submission_create"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("<int:pk>/calendar.ics", views.workshop_calendar, name="workshop_calendar"),
    path(
        "documents/<int:pk>/download/",
        views.document_download,
        name="document_download",
    ),
]

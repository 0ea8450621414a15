from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path(
        "comments/on/<int:commitment_pk>/",
        views.comment_create,
        name="comment_create",
    ),
    path("comments/<int:pk>/", views.comment_detail, name="comment_detail"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/report/", views.comment_flag, name="comment_flag"),
    path(
        "follow/<str:kind>/<int:pk>/",
        views.follow_toggle,
        name="follow_toggle",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/export/", views.profile_export, name="profile_export"),
    path("profile/delete/", views.profile_delete, name="profile_delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

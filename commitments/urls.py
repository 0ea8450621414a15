"""Public addresses of plans, commitments and institutions.

Journalists and civil-society sites link to these addresses: keep them stable.
"""

from django.urls import path

from commitments import views

app_name = "commitments"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<slug:plan>/", views.plan_dashboard, name="plan_dashboard"),
    path(
        "plans/<slug:plan>/commitments/",
        views.commitment_list,
        name="commitment_list",
    ),
    path(
        "plans/<slug:plan>/commitments/<str:ref>/",
        views.commitment_detail,
        name="commitment_detail",
    ),
    path(
        "plans/<slug:plan>/commitments/<str:ref>/history/",
        views.commitment_history,
        name="commitment_history",
    ),
    path(
        "institutions/<slug:institution>/",
        views.institution_detail,
        name="institution_detail",
    ),
]

"""The status of a page that shows a posted form again with its errors."""

import pytest
from django import forms
from django.template import engines
from django.template.response import TemplateResponse

from ogp_tracker.middleware import RefusedFormStatusMiddleware


class NameForm(forms.Form):
    name = forms.CharField()


def answer(request, form, status=200, **context):
    template = engines["django"].from_string("{{ form }}")
    response = TemplateResponse(
        request, template, {"form": form, **context}, status=status
    )
    middleware = RefusedFormStatusMiddleware(lambda request: response)
    return middleware.process_template_response(request, response)


def test_it_answers_400_to_a_posted_form_shown_again_with_errors(rf):
    request = rf.post("/en/accounts/signup/", {"name": ""})

    response = answer(request, NameForm(request.POST))

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "data", "status"),
    [
        ("get", None, 200),
        ("post", None, 200),
        ("post", {"name": "Jeanne"}, 200),
        ("post", {"name": ""}, 403),
    ],
)
def test_it_leaves_other_answers_as_they_are(rf, method, data, status):
    request = getattr(rf, method)("/en/accounts/signup/", data or {})
    form = NameForm(data) if data is not None else NameForm()

    response = answer(request, form, status=status)

    assert response.status_code == status


def test_it_reads_the_back_offices_own_list_of_errors(rf):
    request = rf.post("/admin/workshops/workshop/add/")

    refused = answer(request, None, adminform=object(), errors=["Required."])
    accepted = answer(request, None, adminform=object(), errors=[])

    assert refused.status_code == 400
    assert accepted.status_code == 200

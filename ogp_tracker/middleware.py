"""Middleware of the site as a whole."""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils import translation


class AdminInFrenchMiddleware:
    """Show the back-office in French unless the user chose another language.

    Ministry staff use the back-office in French whatever their browser says;
    someone who picked English with the language switch (which sets the
    language cookie) keeps English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path_info.startswith("/admin/") and not chosen:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE

        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Give the empty answers of refused HTTP methods (405) a page.

    Django answers a GET on an address that only takes forms, say, with an
    empty 405; a visitor who followed such an address sees a blank page. The
    status and the Allow header are kept, only the body is written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        html = response.get("Content-Type", "").startswith("text/html")
        empty = not response.streaming and not response.content
        if response.status_code == 405 and html and empty:
            response.content = render_to_string("405.html", request=request)

        return response


class AccountPageMethodsMiddleware:
    """Keep the account pages' rate limits for the forms that are posted.

    The sign-up and login pages (django-allauth) count every request that is
    not a GET against the address's limit, so a link checker's HEAD or a
    browser's OPTIONS would use up a real visitor's sign-ups from a shared
    address. A HEAD is served as the GET it stands for (the server sends no
    body), and the methods these pages do not take are answered 405 before
    they count.
    """

    allowed = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "__module__", "").startswith("allauth."):
            return None
        if request.method not in self.allowed:
            return HttpResponseNotAllowed(self.allowed)
        if request.method == "HEAD":
            request.method = "GET"
        return None


class RefusedFormStatusMiddleware:
    """Answer 400 when a posted form is shown again with its errors.

    Views built on Django's template responses (the back-office, the account
    pages) redisplay a refused form with 200, as if all went well; scripts,
    monitoring and assistive tools then cannot tell a refusal from a success.
    The page is unchanged, only its status says what happened.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        refused = _holds_refused_form(response.context_data or {})
        if request.method == "POST" and response.status_code == 200 and refused:
            response.status_code = 400

        return response


def _holds_refused_form(context) -> bool:
    # The back-office gathers the errors of its form and formsets in
    # "errors"; other views name their form "form".
    if "adminform" in context:
        return bool(context.get("errors"))
    form = context.get("form")
    return bool(getattr(form, "is_bound", False) and form.errors)

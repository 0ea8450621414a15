"""Middleware of the site as a whole."""

from django.conf import settings
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

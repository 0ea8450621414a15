"""Middleware of the site as a whole."""

from django.conf import settings
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

"""How the site's read-only pages answer the HTTP methods they do not serve."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def read_only(view):
    """Serve view to GET and HEAD only; any other method is answered 405.

    The CSRF check is skipped for it: such a view never acts on a POST, and a
    form posted to it is better told "not possible here" (405, with Allow)
    than "your form was refused" (the CSRF failure page). Pages served by it
    still hand out CSRF tokens to the forms they show.
    """
    return csrf_exempt(require_safe(view))

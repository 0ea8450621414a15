"""Template context shared by every page; no database query here."""

from django.conf import settings


def site(request) -> dict:
    """Tell templates whether the official State branding is turned on."""
    return {"OFFICIAL_BRANDING": settings.OGP_OFFICIAL_BRANDING}

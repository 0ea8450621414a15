"""Import of a plan file by coordinators in the admin, with a preview."""


class PlanImportAdminMixin:
    """Adds the import pages to the action plan admin."""

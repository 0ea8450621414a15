"""The task queue's application, renamed for the back-office.

django-tasks-db names its back-office section "Tasks Database Backend", in
English whatever the staff's language; this configuration gives it a name the
message catalogue translates.
"""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")

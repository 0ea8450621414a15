"""Background tasks: immediate in tests, a database queue for the worker otherwise."""

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.ops.probe_tasks import record_run


def runs_in(path) -> list[int]:
    return sorted(int(line.split()[0]) for line in path.read_text().splitlines())


def test_it_runs_a_task_at_once_with_the_default_backend(tmp_path):
    trace = tmp_path / "runs.txt"

    result = record_run.enqueue(str(trace), 7)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 7
    assert runs_in(trace) == [7]


@pytest.mark.django_db(transaction=True)
def test_it_leaves_queued_tasks_to_the_worker_and_runs_each_once(settings, tmp_path):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}
    }
    trace = tmp_path / "runs.txt"

    results = [record_run.enqueue(str(trace), number) for number in range(3)]
    queued_before_worker = DBTaskResult.objects.filter(status="READY").count()
    ran_before_worker = trace.exists()
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0
    )

    assert queued_before_worker == 3
    assert ran_before_worker is False
    assert runs_in(trace) == [0, 1, 2]
    for result in results:
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert len(result.worker_ids) == 1

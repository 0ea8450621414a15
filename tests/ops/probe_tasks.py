"""A background task that leaves one trace per run, to count runs across processes."""

import os

from django_tasks import task


@task()
def record_run(path: str, number: int) -> int:
    """Append "<number> <process id>" to path; return number."""
    line = f"{number} {os.getpid()}\n".encode()
    # O_APPEND makes each short write land whole, whichever process writes.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)

    return number

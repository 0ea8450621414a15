"""Start gunicorn servers and task workers on loopback, and talk to them.

The helpers for tests/ops/test_two_servers.py: each process gets the
production settings of .env.example, pointed at a database and a Redis on this
machine. `Visitor` plays a browser behind the load balancer: it keeps its
cookies whichever server answers, and sends the public host name and the TLS
proxy's X-Forwarded-Proto header.
"""

import http.client
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.ops.helpers import REPO, free_port

HOST = "tracker.test"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path
    port: int | None = None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        # Each process leads its own group: gunicorn's workers go with it.
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)


def start(name: str, command: list[str], env: dict, log_dir: Path, port=None):
    log = log_dir / f"{name}.log"
    with open(log, "wb") as output:
        popen = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    return Process(name=name, popen=popen, log=log, port=port)


def start_server(name: str, env: dict, log_dir: Path) -> Process:
    """Start gunicorn with deploy/gunicorn.conf.py on a free loopback port."""
    port = free_port()
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "deploy/gunicorn.conf.py",
        "ogp_tracker.wsgi",
    ]

    return start(name, command, server_env, log_dir, port=port)


def start_worker(name: str, env: dict, log_dir: Path) -> Process:
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--interval",
        "0.2",
        "--no-startup-delay",
        "--worker-id",
        name,
    ]

    return start(name, command, env, log_dir)


def wait_until_ready(server: Process, deadline_seconds: float = 60) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if server.popen.poll() is not None:
            raise AssertionError(f"{server.name} exited\n{server.log_tail()}")
        try:
            if Visitor().get(server, "/readyz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{server.name} never became ready\n{server.log_tail()}")


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Visitor:
    """One browser: cookies follow it from server to server."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, server: Process, path: str) -> Reply:
        return self.request(server, "GET", path)

    def post(self, server: Process, path: str, form: dict) -> Reply:
        return self.request(server, "POST", path, form)

    def request(self, server, method, path, form=None) -> Reply:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            pairs = (f"{name}={value}" for name, value in self.cookies.items())
            headers["Cookie"] = "; ".join(pairs)
        body = None
        if form is not None:
            # Django accepts the CSRF cookie's secret itself as the form token.
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"

        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])

        return Reply(response.status, response.headers, text)

    def _keep_cookies(self, set_cookie_headers: list[str]) -> None:
        for header in set_cookie_headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def log_in(self, server: Process, email: str, password: str) -> None:
        self.get(server, "/fr/accounts/login/")
        reply = self.post(
            server, "/fr/accounts/login/", {"login": email, "password": password}
        )
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"login refused ({reply.status}): {reply.body[:500]}")


class FormFields(HTMLParser):
    """The fields of each POST form on a page, with the values a browser sends."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._select = None
        self._select_options = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.forms.append({})
        if not self.forms or not attributes.get("name"):
            return
        fields = self.forms[-1]
        name = attributes["name"]
        kind = (attributes.get("type") or "text").lower()
        if tag == "input" and kind not in ("submit", "button", "file", "image"):
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    fields.setdefault(name, []).append(attributes.get("value", "on"))
            else:
                fields.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "select":
            self._select, self._select_options = name, []
            fields.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attributes.get("value") or ""
            self._select_options.append(value)
            if "selected" in attributes:
                fields[self._select].append(value)
        elif tag == "textarea":
            self._textarea = name
            fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            fields = self.forms[-1]
            if not fields[self._select] and self._select_options:
                fields[self._select] = [self._select_options[0]]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea][0] += data


def form_with(page: str, field_name: str) -> dict[str, list[str]]:
    """Return the fields of the POST form on page that has field_name."""
    parser = FormFields()
    parser.feed(page)
    for fields in parser.forms:
        if field_name in fields:
            return fields
    raise AssertionError(f"no form with a {field_name!r} field")

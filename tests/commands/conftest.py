"""Run real az commands in-process, with `responses` standing in for ARM.

Fixtures:
- `arm`: an active `responses.RequestsMock` (assert_all_requests_are_fired=False); register ARM
  answers on it with full URLs built from ARM + paths (see `cluster_path`).
- `run_az(args)`: runs `az <args>` in this process (args: a string split like a shell, or a list)
  and returns an `AzResult` with `.exit_code`, `.result` (the Python object the command returned,
  before output formatting), `.stdout`, `.stderr`, and `.writes` (the PUT/PATCH/DELETE requests
  `arm` saw during the call).  `--yes` prompts and no-tty behaviour are real.
- `lro(url, status_sequence)` helper: registers an Azure-AsyncOperation URL answering the given
  statuses in order.
Polling delays and retry backoff are zero in these tests (fluxlite's backoff is measured in
tests/unit/test_polling.py on a fake clock, and in `make bench`).
"""
import io
import json
import logging
import shlex
import sys
import time
from dataclasses import dataclass, field

import pytest
import responses

ARM = "https://management.azure.com"
SUB = "00000000-0000-0000-0000-000000000000"
TENANT = "11111111-1111-1111-1111-111111111111"


def cluster_path(rg="rg1", rp="Microsoft.Kubernetes", ctype="connectedClusters", name="c1"):
    return "/subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}".format(SUB, rg, rp, ctype, name)


def config_path(kind, name=None, **cluster):
    path = cluster_path(**cluster) + "/providers/Microsoft.KubernetesConfiguration/" + kind
    return path + ("/" + name if name else "")


class _FakeToken:
    def __init__(self, token, expires_on):
        self.token = token
        self.expires_on = expires_on


class FakeCredential:
    """Stands in for az's login credential; counts how often a token is fetched."""

    def __init__(self):
        self.calls = 0

    def get_token(self, *scopes, **kwargs):  # pylint: disable=unused-argument
        self.calls += 1
        from azure.core.credentials import AccessToken
        return AccessToken("fake-token-{}".format(self.calls), int(time.time()) + 3600)

    def get_token_info(self, *scopes, options=None):  # pylint: disable=unused-argument
        self.calls += 1
        from azure.core.credentials import AccessTokenInfo
        return AccessTokenInfo("fake-token-{}".format(self.calls), int(time.time()) + 3600)


@dataclass
class AzResult:
    exit_code: int
    result: object
    stdout: str
    stderr: str
    writes: list = field(default_factory=list)

    @property
    def output(self):
        return self.stdout + self.stderr


@pytest.fixture
def credential(monkeypatch):
    cred = FakeCredential()
    from azure.cli.core._profile import Profile

    def fake_get_login_credentials(self, *args, **kwargs):  # pylint: disable=unused-argument
        return cred, SUB, TENANT

    monkeypatch.setattr(Profile, "get_login_credentials", fake_get_login_credentials)
    return cred


@pytest.fixture
def arm(credential):  # pylint: disable=redefined-outer-name,unused-argument
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture(autouse=True)
def _fast_polling(monkeypatch):
    from azure.core.pipeline.transport import RequestsTransport
    from azext_fluxlite.core import polling as _polling
    monkeypatch.setattr(_polling, "FIRST_DELAY", 0.0)
    monkeypatch.setattr(_polling, "MAX_DELAY", 0.0)
    # The pipeline's retry backoff (1.6 s, 3.2 s) is not slept either; tests/commands/test_faults.py
    # records these sleeps to check the backoff and Retry-After.
    monkeypatch.setattr(RequestsTransport, "sleep", lambda self, seconds: None)
    # `wait` and --wait-for-compliance run on a clock that moves on by itself (half a second per
    # reading) and by every sleep, so a timeout or the Non-Compliant grace period passes at once.
    from azext_fluxlite.core import waiting as _waiting
    from tests.fakeclock import FakeClock

    class _TickingClock(FakeClock):
        def __call__(self):
            self.now += 0.5
            return self.now

    ticking = _TickingClock()
    monkeypatch.setattr(_waiting, "clock", ticking)
    monkeypatch.setattr(_waiting, "sleep", ticking.sleep)


class _AzConsoleLog(logging.Handler):
    """What az's console would show on stderr ("WARNING: ...", "ERROR: ...", --debug lines).

    Under pytest the root logger already has handlers, so knack skips its console set-up and the
    records only reach pytest's log capture; this handler puts them in `.stderr` like az does.
    """

    def __init__(self, cli, args):
        # The console level knack itself would choose: --debug, --verbose, --only-show-errors and
        # `core.only_show_errors` (config file or AZURE_CORE_ONLY_SHOW_ERRORS).
        from knack.log import CliLogLevel
        chosen = cli.logging._determine_log_level(args)  # pylint: disable=protected-access
        level = {CliLogLevel.DEBUG: logging.DEBUG, CliLogLevel.INFO: logging.INFO,
                 CliLogLevel.WARNING: logging.WARNING}.get(chosen, logging.ERROR)
        super().__init__(level)
        self._lines = []
        self._root = logging.getLogger()
        self._old_level = self._root.level
        self._root.setLevel(min(level, self._old_level or logging.WARNING))
        self._root.addHandler(self)

    def emit(self, record):
        if record.name.startswith("az_command_data_logger"):
            return  # az's per-command log file, not console output
        self._lines.append("{}: {}".format(record.levelname, record.getMessage()))

    def close(self):
        self._root.removeHandler(self)
        self._root.setLevel(self._old_level)
        super().close()

    def text(self):
        return "".join(line + "\n" for line in self._lines)


class _Terminal(io.StringIO):
    """A terminal on stdin where the user types `answers`, one line each (knack's prompts read it)."""

    def __init__(self, answers):
        super().__init__("".join(line + "\n" for line in answers))

    def isatty(self):
        return True


@pytest.fixture
def run_az(arm, capsys):  # pylint: disable=redefined-outer-name
    from azure.cli.core import get_default_cli

    def run(args, answers=None):
        """`answers`: lines typed at a terminal (stdin is then a TTY); None: no terminal."""
        if isinstance(args, str):
            args = shlex.split(args)
        before = len(arm.calls)
        cli = get_default_cli()
        out = io.StringIO()
        capsys.readouterr()
        # az's progress view binds sys.stderr as a default argument when first imported, which is
        # a closed capture stream in every later test; point it at this test's stream.
        from azure.cli.core.commands import progress
        progress.get_progress_view.__defaults__ = (False, sys.stderr, None)
        log = _AzConsoleLog(cli, args)
        stdin = sys.stdin
        sys.stdin = _Terminal(answers) if answers is not None else io.StringIO()
        try:
            exit_code = cli.invoke(list(args), out_file=out)
        except SystemExit as exc:  # argparse errors
            exit_code = exc.code
        finally:
            sys.stdin = stdin
            log.close()
        captured = capsys.readouterr()
        result = cli.result.result if cli.result is not None else None
        writes = [c.request for c in arm.calls[before:] if c.request.method in ("PUT", "PATCH", "DELETE")]
        return AzResult(exit_code, result, out.getvalue() + captured.out, log.text() + captured.err, writes)

    return run


def body_of(request):
    return json.loads(request.body) if request.body else None


def lro(mock, url, statuses):
    """Answer the Azure-AsyncOperation URL with each status in turn (the last one repeats)."""
    answers = list(statuses)

    def callback(request):  # pylint: disable=unused-argument
        status = answers.pop(0) if len(answers) > 1 else answers[0]
        body = {"id": url.split("?")[0].replace(ARM, ""), "name": "op", "status": status}
        if status == "Failed":
            body["error"] = {"code": "OperationFailed", "message": "the operation failed"}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    mock.add_callback(responses.GET, url, callback=callback)

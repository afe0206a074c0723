"""A shell that points at a stopped emulator gets one line from fluxlite's commands, not a traceback."""
import pytest
import requests
from azure.cli.core.azclierror import AzureConnectionError

from azext_fluxlite._az_errors import to_az_error

URL = "https://127.0.0.1:45851/"


def _refused(host="127.0.0.1", port=45851):
    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except ConnectionRefusedError as cause:
            raise requests.exceptions.ConnectionError(
                "HTTPSConnectionPool(host='{}', port={}): Max retries exceeded with url: /msi/token (Caused by "
                "NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))"
                .format(host, port)) from cause
    except requests.exceptions.ConnectionError as exc:
        return exc


def test_a_refused_connection_to_the_emulator_is_one_line(monkeypatch):
    monkeypatch.setenv("FLUXLITE_EMULATOR_URL", URL)
    monkeypatch.setenv("FLUXLITE_EMULATOR_DATA_DIR", "/tmp/emu")
    error = to_az_error(_refused())
    assert isinstance(error, AzureConnectionError)
    assert str(error) == ("The fluxlite emulator at https://127.0.0.1:45851/ is not running, and this shell points at "
                          "it. Start it again: az fluxlite emulator start --data-dir /tmp/emu; or go back to Azure: "
                          "eval \"$(az fluxlite emulator env --unset)\"")
    # Wrapped by the SDK: found through the cause chain.
    try:
        raise RuntimeError("token request failed") from _refused()
    except RuntimeError as wrapped:
        assert isinstance(to_az_error(wrapped), AzureConnectionError)


@pytest.mark.parametrize("env, exc", [
    ({}, _refused()),                                                   # the shell is not pointed at an emulator
    ({"FLUXLITE_EMULATOR_URL": URL}, _refused("login.microsoftonline.com", 443)),   # another host failed
    ({"FLUXLITE_EMULATOR_URL": URL}, ValueError("not a connection error")),
])
def test_other_errors_are_left_alone(monkeypatch, env, exc):
    monkeypatch.delenv("FLUXLITE_EMULATOR_URL", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert to_az_error(exc) is exc

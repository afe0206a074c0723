"""Secrets never appear in fluxlite's output, errors or --debug trace."""
import responses

from .conftest import lro
from .fakes import EXT_API, add_json, async_headers, extension_resource, flux_resource, op_url, url

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
SECRET = "pat-0123456789-SECRET"


def _create_flow(arm):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Creating"),
             status=201, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())


def test_secret_from_a_file_appears_nowhere_even_with_debug(run_az, arm, tmp_path):
    key_file = tmp_path / "token"
    key_file.write_text(SECRET + "\n")
    _create_flow(arm)
    res = run_az(["k8s-configuration", "flux", "create", "-g", "rg1", "-c", "c1", "-t", "connectedClusters",
                  "-n", "cfg", "-u", "https://dev.azure.com/org/p/_git/r", "--branch", "main",
                  "--https-user", "git", "--https-key", "@" + str(key_file), "-k", "name=a", "path=./a", "--debug"])
    assert res.exit_code == 0, res.stderr[-2000:]
    assert "Request body" in res.stderr  # the trace really was printed
    assert SECRET not in res.output
    import base64
    assert base64.b64encode(SECRET.encode()).decode() not in res.output
    assert "REDACTED" in res.stderr


def test_inline_secret_is_redacted_from_request_bodies_in_debug(run_az, arm):
    _create_flow(arm)
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://x.example/r --branch main "
                 "--https-user git --https-key " + SECRET + " -k name=a path=./a --debug")
    assert res.exit_code == 0, res.stderr[-2000:]
    body_lines = [line for line in res.stderr.splitlines() if '"httpsKey"' in line]
    assert body_lines and all('"httpsKey": "REDACTED"' in line for line in body_lines)
    import base64
    assert base64.b64encode(SECRET.encode()).decode() not in res.output


def test_a_bad_secret_is_reported_without_its_value(run_az, arm):
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u git@github.com:org/r --branch main "
                 "--ssh-private-key " + SECRET + " -k name=a path=./a")
    assert res.exit_code != 0
    assert "--ssh-private-key" in res.stderr
    assert SECRET not in res.stderr
    assert res.writes == []

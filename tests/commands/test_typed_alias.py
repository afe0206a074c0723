"""Errors name the alias of the flag the user typed (issue 8: "the message names the flag the user typed").

Validators name one alias of each option; az's error adapter puts back the one on the command line.
"""
import pytest

from .conftest import ARM

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
GIT = "k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/org/repo --branch main"
BLOB = ("k8s-configuration flux create " + CLUSTER + " -n cfg --kind azblob -u https://acct.blob.core.windows.net "
        "--container-name c01 --sp-tenant-id 11111111-2222-3333-4444-555555555555 --sp-client-secret s")
EXT = "k8s-extension create " + CLUSTER + " --name flux --extension-type microsoft.flux"


@pytest.mark.parametrize("args, start", [
    (GIT + " --sync-interval 1h30", "ERROR: --sync-interval '1h30' is not a valid duration"),
    (GIT + " --interval 1h30", "ERROR: --interval '1h30' is not a valid duration"),
    (GIT + " --ns Team-A", "ERROR: --ns 'Team-A' contains the character 'T'"),
    (GIT + " --namespace Team-A", "ERROR: --namespace 'Team-A' contains the character 'T'"),
    (BLOB + " --service-principal-client-id nope", "ERROR: --service-principal-client-id 'nope' is not a client ID"),
    (EXT + " --config-file {missing}", "ERROR: --config-file '{missing}': no such file"),
    (EXT + " --config-settings-file {missing}", "ERROR: --config-settings-file '{missing}': no such file"),
    (EXT + " --config-protected-file {missing}", "ERROR: --config-protected-file '{missing}': no such file"),
    (GIT + " -k name=a..b path=./a", "ERROR: -k name 'a..b'"),
    (GIT + " --kustomization name=a..b path=./a", "ERROR: --kustomization name 'a..b'"),
    # a message that names every alias already is left as it is
    ("k8s-configuration flux kustomization create " + CLUSTER + " -n cfg --kustomization-name A --path ./a",
     "ERROR: -k/--kustomization-name 'A'"),
])
def test_the_error_names_the_alias_typed(run_az, arm, tmp_path, args, start):
    missing = str(tmp_path / "missing.json")
    res = run_az(args.format(missing=missing))
    assert res.exit_code == 1, res.stderr
    assert res.stderr.startswith(start.format(missing=missing)), res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert [c for c in arm.calls if c.request.url.startswith(ARM)] == []


def test_a_short_option_keeps_the_long_name_everywhere_in_the_message(run_az, arm):
    res = run_az("k8s-extension create " + CLUSTER + " -n My_Flux --extension-type microsoft.flux")
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --name 'My_Flux' "), res.stderr
    assert "try --name my-flux" in res.stderr

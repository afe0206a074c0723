"""--debug through the real az process: the network trace shows requests and answers, never secrets."""
import base64

SECRET = "e2e-Sup3r-s3cret-token"


def test_debug_trace_of_a_create_with_credentials_shows_no_secret(az, emulator, tmp_path):
    # From a file, as the README advises: az itself echoes an inline value at the top of --debug.
    key_file = tmp_path / "https-key"
    key_file.write_text(SECRET)
    cluster = emulator.new_cluster()
    res = az.run("k8s-configuration", "flux", "create", *cluster, "-n", "private", "-u",
                 "https://github.com/Azure/gitops-flux2-kustomize-helm-mt", "--branch", "main", "--https-user", "git",
                 "--https-key", "@" + str(key_file), "-k", "name=infra", "path=./infrastructure", "--debug",
                 check=False)
    out = res.stdout + res.stderr
    encoded = base64.b64encode(SECRET.encode()).decode()
    # The trace really holds the PUT and its body (the check below would be empty otherwise) ...
    assert "Request method: 'PUT'" in out
    assert '"configurationProtectedSettings": {"httpsKey": "REDACTED"}' in out
    # ... and the secret appears nowhere, plain or base64 encoded as it is sent.
    assert SECRET not in out and encoded not in out

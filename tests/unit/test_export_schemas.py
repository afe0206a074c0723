"""Flux YAML export: the objects written out, each accepted by the official Flux 2.6 CRDs.

Also what the other formats keep of an existing configuration: the service returns no secret, so
the export must still reference every secret the configuration uses, in every format (arm, bicep
and flux), as `flux create --dry-run --export-format` does.  Every export goes through `export()`,
which validates it against the CRDs (flux) or the ARM schema (arm); the checks themselves are shown
to refuse what the API server or ARM would refuse.
"""
import json
import re

import pytest
import yaml

from azext_fluxlite.emulator.flux_schema import normalize
from azext_fluxlite.emulator.rp_common import without_nulls
from azext_fluxlite.flux.export.flux_yaml import go_duration, source_url

from tests.export_schemas import arm_resources, check_arm_resource, check_flux_object, flux_objects

try:
    from . import export_fixtures as fx
except ImportError:          # tests/unit is not a package: pytest put it on sys.path
    import export_fixtures as fx

export = fx.export
create_body = fx.create_body


# -- Flux YAML -----------------------------------------------------------------------------------
def flux_docs(body, name="cfg"):
    text = export(body, "flux", name)
    docs = list(yaml.safe_load_all(text))
    return text, docs, {(d["kind"], d["metadata"]["name"]): d for d in docs}


def test_flux_git_objects():
    text, docs, by = flux_docs(fx.git_https())
    assert [(d["apiVersion"], d["kind"], d["metadata"]["name"], d["metadata"]["namespace"]) for d in docs] == [
        ("source.toolkit.fluxcd.io/v1", "GitRepository", "cfg", "flux-ns"),
        ("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "cfg-infra", "flux-ns"),
        ("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "cfg-apps", "flux-ns")]
    assert by["GitRepository", "cfg"]["spec"] == {
        "interval": "2m0s", "timeout": "3m0s", "url": "https://github.com/x/y", "ref": {"tag": "v1"},
        "secretRef": {"name": "cfg-auth"}, "suspend": True}
    assert by["Kustomization", "cfg-apps"]["spec"] == {
        "interval": "1h2m0s", "timeout": "10m0s", "retryInterval": "30s", "path": "./apps/staging", "prune": True,
        "force": False, "wait": True, "sourceRef": {"kind": "GitRepository", "name": "cfg"},
        "dependsOn": [{"name": "cfg-infra"}], "suspend": True}
    assert "# Secret 'cfg-auth' in namespace 'flux-ns' must hold the keys:" in text
    for key in ("username: 'u'", "password:", "ca.crt:"):
        assert "#   " + key in text


def test_flux_kustomization_defaults_and_post_build():
    body = {"properties": {"sourceKind": "GitRepository", "gitRepository": {"url": "https://h/r",
                                                                          "repositoryRef": {"branch": "main"}},
                           "kustomizations": {
                               "apps": {"dependsOn": ["infra"], "postBuild": {
                                   "substitute": {"cluster_env": "prod", "replicas": "2"},
                                   "substituteFrom": [{"kind": "ConfigMap", "name": "vars", "optional": True}]}},
                               "infra": {"name": "infra", "path": ""}}}}
    _, docs, by = flux_docs(body)
    assert [d["metadata"]["name"] for d in docs] == ["cfg", "cfg-infra", "cfg-apps"]   # dependency order
    assert by["GitRepository", "cfg"]["spec"] == {"interval": "10m0s", "timeout": "10m0s", "url": "https://h/r",
                                                  "ref": {"branch": "main"}}
    infra = by["Kustomization", "cfg-infra"]["spec"]
    assert infra == {"interval": "10m0s", "timeout": "10m0s", "path": "./", "prune": False, "force": False,
                     "wait": True, "sourceRef": {"kind": "GitRepository", "name": "cfg"}}
    assert by["Kustomization", "cfg-apps"]["spec"]["postBuild"] == {
        "substitute": {"cluster_env": "prod", "replicas": "2"},
        "substituteFrom": [{"kind": "ConfigMap", "name": "vars", "optional": True}]}
    assert all(d["metadata"]["namespace"] == "default" for d in docs)


def test_flux_git_ssh_and_local_auth_ref():
    text, _, by = flux_docs(fx.git_ssh())
    spec = by["GitRepository", "cfg"]["spec"]
    assert spec["ref"] == {"branch": "main", "commit": "0ba6f0d3"} and spec["secretRef"] == {"name": "cfg-auth"}
    assert "#   identity:" in text and "#   known_hosts: gitRepository.sshKnownHosts" in text
    body = create_body(url="https://h/r", branch="main", local_auth_ref="my-creds", provider="generic")
    text, _, by = flux_docs(body)
    assert by["GitRepository", "cfg"]["spec"]["secretRef"] == {"name": "my-creds"}
    assert by["GitRepository", "cfg"]["spec"]["provider"] == "generic"
    assert "must hold" not in text


def test_flux_bucket_and_azure_blob():
    text, _, by = flux_docs(fx.bucket())
    assert by["Bucket", "cfg"]["spec"] == {
        "interval": "1m0s", "timeout": "10m0s", "provider": "generic", "bucketName": "b1",
        "endpoint": "s3.amazonaws.com", "insecure": False, "secretRef": {"name": "cfg-auth"}}
    assert by["Kustomization", "cfg-apps"]["spec"]["sourceRef"] == {"kind": "Bucket", "name": "cfg"}
    assert "#   accesskey: bucket.accessKey" in text and "#   secretkey:" in text
    assert "AKIAEXAMPLE" not in text   # not a secret, but there is no need to show it either
    text, _, by = flux_docs(fx.azblob_sp_cert())
    assert by["Bucket", "cfg"]["spec"] == {
        "interval": "10m0s", "timeout": "10m0s", "provider": "azure", "bucketName": "cont",
        "endpoint": "https://acct.blob.core.windows.net", "secretRef": {"name": "cfg-auth"}}
    for key in ("tenantId", "clientId", "clientCertificate", "clientCertificatePassword",
                "clientCertificateSendChain"):
        assert "#   {}: azureBlob.servicePrincipal.{}".format(key, key) in text
    _, _, by = flux_docs(create_body(kind="azblob", url="https://a.blob.core.windows.net", container_name="cont"))
    assert "secretRef" not in by["Bucket", "cfg"]["spec"]
    # a bucket with no insecure field gets the API's default (true)
    _, _, by = flux_docs({"properties": {"sourceKind": "Bucket", "bucket": {"url": "http://minio:9000",
                                                                           "bucketName": "b"}}})
    assert by["Bucket", "cfg"]["spec"]["insecure"] is True and by["Bucket", "cfg"]["spec"]["endpoint"] == "minio:9000"


def test_flux_oci():
    text, _, by = flux_docs(fx.oci_tls())
    assert by["OCIRepository", "cfg"] == {
        "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "OCIRepository",
        "metadata": {"name": "cfg", "namespace": "default"},
        "spec": {"interval": "10m0s", "timeout": "10m0s", "url": "oci://ghcr.io/org/repo",
                 "ref": {"semver": ">=1.0.0 <2.0.0"},
                 "layerSelector": {"mediaType": "application/vnd.cncf.flux.content.v1.tar+gzip", "operation": "copy"},
                 "provider": "azure", "serviceAccountName": "sa", "certSecretRef": {"name": "cfg-tls"},
                 "verify": {"provider": "cosign", "secretRef": {"name": "cfg-verify"},
                            "matchOIDCIdentity": [{"issuer": "iss", "subject": "sub"}]}}}
    assert "# Secret 'cfg-tls'" in text and "#   tls.key:" in text and "#   cosign.pub:" in text
    _, _, by = flux_docs(create_body(kind="oci", url="oci://ghcr.io/x/y"))
    assert by["OCIRepository", "cfg"]["spec"]["ref"] == {"tag": "latest"}


@pytest.mark.parametrize("seconds, text", [(600, "10m0s"), (3720, "1h2m0s"), (30, "30s"), (3600, "1h0m0s"),
                                           (61, "1m1s"), (0, "0s"), (90061, "25h1m1s")])
def test_go_durations(seconds, text):
    assert go_duration(seconds) == text


@pytest.mark.parametrize("seconds, text", [(600, "10m0s"), (3600, "60m0s"), (7200, "120m0s"), (5430, "90m30s"),
                                           (45, "45s")])
def test_go_durations_without_hours(seconds, text):
    assert go_duration(seconds, hours=False) == text


# -- what the CRDs refused before: long source timeouts, scp-style and upper-case URLs -----------------
@pytest.mark.parametrize("block_key, kind, block", [
    ("gitRepository", "GitRepository", {"url": "https://h/r"}),
    ("bucket", "Bucket", {"url": "https://s3", "bucketName": "b", "localAuthRef": "r"}),
    ("azureBlob", "Bucket", {"url": "https://a.blob.core.windows.net", "containerName": "c"}),
    ("ociRepository", "OCIRepository", {"url": "oci://r/x"}),
])
def test_a_source_timeout_of_hours_is_written_in_minutes(block_key, kind, block):
    source_kind = {"gitRepository": "GitRepository", "bucket": "Bucket", "azureBlob": "AzureBlob",
                   "ociRepository": "OCIRepository"}[block_key]
    body = {"properties": {"sourceKind": source_kind, block_key: dict(block, timeoutInSeconds=7200,
                                                                      syncIntervalInSeconds=5400),
                           "kustomizations": {"k": {"timeoutInSeconds": 7200, "syncIntervalInSeconds": 3660}}}}
    _, docs, by = flux_docs(body)
    assert by[kind, "cfg"]["spec"]["timeout"] == "120m0s"       # the source CRDs allow ms, s and m only
    assert by[kind, "cfg"]["spec"]["interval"] == "1h30m0s"     # intervals allow hours
    assert by["Kustomization", "cfg-k"]["spec"]["timeout"] == "2h0m0s"   # and so does the Kustomization
    assert by["Kustomization", "cfg-k"]["spec"]["interval"] == "1h1m0s"
    assert len(docs) == 2


def test_a_create_with_a_long_timeout_exports_valid_objects():
    _, _, by = flux_docs(create_body("name=apps path=./apps timeout=3h", url="https://h/r", branch="main",
                                     timeout="1h30m", sync_interval="2h"))
    assert by["GitRepository", "cfg"]["spec"]["timeout"] == "90m0s"
    assert by["GitRepository", "cfg"]["spec"]["interval"] == "2h0m0s"
    assert by["Kustomization", "cfg-apps"]["spec"]["timeout"] == "3h0m0s"


@pytest.mark.parametrize("url, expected", [
    ("git@github.com:org/repo.git", "ssh://git@github.com/org/repo.git"),
    ("git@ssh.dev.azure.com:v3/org/proj/repo", "ssh://git@ssh.dev.azure.com/v3/org/proj/repo"),
    ("git@host:/abs/repo", "ssh://git@host/abs/repo"),
    ("ssh://git@github.com/org/repo", "ssh://git@github.com/org/repo"),
    ("HTTPS://GitHub.com/Org/Repo", "https://GitHub.com/Org/Repo"),
    ("SSH://git@h/r", "ssh://git@h/r"),
])
def test_git_urls_are_written_as_the_crd_requires(url, expected):
    text, _, by = flux_docs(fx.wire({"sourceKind": "GitRepository", "gitRepository": {"url": url}}))
    assert by["GitRepository", "cfg"]["spec"]["url"] == expected
    if expected.startswith("ssh://"):
        assert by["GitRepository", "cfg"]["spec"]["secretRef"] == {"name": "cfg-auth"}
        assert "#   identity: the SSH private key (PEM)" in text


def test_source_url_leaves_what_it_cannot_map():
    assert source_url("OCI://ghcr.io/x") == "oci://ghcr.io/x"
    assert source_url("git@h:r") == "git@h:r"        # scp-style is a git notion only
    assert source_url(None) is None


# -- an existing configuration keeps every auth kind's secret references, in every format ------------
def blob(**auth):
    return fx.wire({"sourceKind": "AzureBlob", "azureBlob": dict(
        {"url": "https://acct.blob.core.windows.net", "containerName": "cont", "timeoutInSeconds": 600,
         "syncIntervalInSeconds": 600, "managedIdentity": None, "localAuthRef": None}, **auth)})


def sp(**fields):
    return dict({"clientId": fx.CID, "tenantId": fx.TID}, **fields)


def oci(tls):
    return fx.wire({"sourceKind": "OCIRepository", "ociRepository": {
        "url": "oci://ghcr.io/org/repo", "repositoryRef": {"tag": "v1", "semver": None, "digest": None},
        "insecure": False, "useWorkloadIdentity": False, "tlsConfig": tls, "localAuthRef": None}})


SP_SECRET = ("servicePrincipal", "clientSecret")
SP_CERT = ("servicePrincipal", "clientCertificate")
SP_PASSWORD = ("servicePrincipal", "clientCertificatePassword")
TLS_CERT, TLS_KEY = ("tlsConfig", "clientCertificate"), ("tlsConfig", "privateKey")
TLS_CA = ("tlsConfig", "caCertificate")
SP_KEYS = ["tenantId", "clientId"]
CERT_KEYS = ["clientCertificate", "clientCertificatePassword", "clientCertificateSendChain"]
# case: (GET answer, {parameter: (place in the source block, optional)}, Flux secret, keys its comment lists)
# An optional parameter may be left empty (the field is then sent as null): the answer cannot tell
# whether the configuration uses that secret.
EXISTING = {
    # the answer names the blank secret in use
    "sp secret": (blob(servicePrincipal=sp(clientSecret=None, clientCertificateSendChain=False)),
                  {"servicePrincipalClientSecret": (SP_SECRET, False)}, "cfg-auth", SP_KEYS + ["clientSecret"]),
    "sp certificate": (blob(servicePrincipal=sp(clientCertificate=None, clientCertificatePassword=None,
                                                clientCertificateSendChain=True)),
                       {"servicePrincipalClientCertificate": (SP_CERT, False),
                        "servicePrincipalClientCertificatePassword": (SP_PASSWORD, False)}, "cfg-auth",
                       SP_KEYS + CERT_KEYS),
    # every field of the model null: sending the certificate chain means a certificate, else either
    "sp certificate, full model": (blob(servicePrincipal=sp(clientSecret=None, clientCertificate=None,
                                                            clientCertificatePassword=None,
                                                            clientCertificateSendChain=True)),
                                   {"servicePrincipalClientCertificate": (SP_CERT, False),
                                    "servicePrincipalClientCertificatePassword": (SP_PASSWORD, True)},
                                   "cfg-auth", SP_KEYS + CERT_KEYS),
    "sp, full model": (blob(servicePrincipal=sp(clientSecret=None, clientCertificate=None,
                                                clientCertificatePassword=None, clientCertificateSendChain=False)),
                       {"servicePrincipalClientSecret": (SP_SECRET, True),
                        "servicePrincipalClientCertificate": (SP_CERT, True),
                        "servicePrincipalClientCertificatePassword": (SP_PASSWORD, True)},
                       "cfg-auth", SP_KEYS + ["clientSecret"] + CERT_KEYS),
    # secret fields left out of the answer (the emulator's answers)
    "sp, secrets omitted": (blob(servicePrincipal=sp(clientCertificateSendChain=False)),
                            {"servicePrincipalClientSecret": (SP_SECRET, True),
                             "servicePrincipalClientCertificate": (SP_CERT, True),
                             "servicePrincipalClientCertificatePassword": (SP_PASSWORD, True)},
                            "cfg-auth", SP_KEYS + ["clientSecret"] + CERT_KEYS),
    "sp sending its chain, secrets omitted": (blob(servicePrincipal=sp(clientCertificateSendChain=True)),
                                              {"servicePrincipalClientCertificate": (SP_CERT, False),
                                               "servicePrincipalClientCertificatePassword": (SP_PASSWORD, True)},
                                              "cfg-auth", SP_KEYS + CERT_KEYS),
    "account key": (blob(accountKey=None), {"accountKey": (("accountKey",), False)}, "cfg-auth", ["accountKey"]),
    "sas token": (blob(sasToken=""), {"sasToken": (("sasToken",), False)}, "cfg-auth", ["sasKey"]),
    "account key or sas token": (blob(accountKey=None, sasToken=None),
                                 {"accountKey": (("accountKey",), True), "sasToken": (("sasToken",), True)},
                                 "cfg-auth", ["accountKey", "sasKey"]),
    # no auth field at all: an account key, a SAS token, or no secret (the cluster's identity)
    "no auth field": (blob(), {"accountKey": (("accountKey",), True), "sasToken": (("sasToken",), True)},
                      "cfg-auth", ["accountKey", "sasKey"]),
    "managed identity": (blob(accountKey=None, sasToken=None, managedIdentity={"clientId": fx.CID}), {},
                         "cfg-auth", ["clientId"]),
    "oci client certificate": (oci({"clientCertificate": None, "privateKey": None}),
                               {"tlsConfigClientCertificate": (TLS_CERT, False),
                                "tlsConfigPrivateKey": (TLS_KEY, False)}, "cfg-tls", ["tls.crt", "tls.key"]),
    "oci ca only": (oci({"caCertificate": None}), {"tlsConfigCaCertificate": (TLS_CA, False)}, "cfg-tls", ["ca.crt"]),
    "oci ca returned": (oci({"clientCertificate": None, "privateKey": None, "caCertificate": fx.CA}),
                        {"tlsConfigClientCertificate": (TLS_CERT, False), "tlsConfigPrivateKey": (TLS_KEY, False)},
                        "cfg-tls", ["tls.crt", "tls.key", "ca.crt"]),
    "oci tls, full model": (oci({"clientCertificate": None, "privateKey": None, "caCertificate": None}),
                            {"tlsConfigClientCertificate": (TLS_CERT, True), "tlsConfigPrivateKey": (TLS_KEY, True),
                             "tlsConfigCaCertificate": (TLS_CA, True)}, "cfg-tls", ["tls.crt", "tls.key", "ca.crt"]),
    "oci tls, keys omitted": (oci({}), {"tlsConfigClientCertificate": (TLS_CERT, True),
                                        "tlsConfigPrivateKey": (TLS_KEY, True),
                                        "tlsConfigCaCertificate": (TLS_CA, True)},
                              "cfg-tls", ["tls.crt", "tls.key", "ca.crt"]),
}


def reference(name, optional):
    return "[if(empty(parameters('{0}')), null(), parameters('{0}'))]".format(name) if optional else \
        "[parameters('{}')]".format(name)


@pytest.mark.parametrize("case", list(EXISTING))
def test_an_existing_configuration_keeps_its_secret_references_in_arm(case):
    got, params, _, _ = EXISTING[case]
    template = json.loads(export(got, "arm"))
    assert sorted(template["parameters"]) == sorted(params)
    block_key = "azureBlob" if "azureBlob" in template["resources"][0]["properties"] else "ociRepository"
    block = template["resources"][0]["properties"][block_key]
    for name, (path, optional) in params.items():
        value = block[path[0]][path[1]] if len(path) == 2 else block[path[0]]
        assert value == reference(name, optional)
        expected = {"type": "securestring", "metadata": {"description": "Secret value of properties.{}.{}.{}".format(
            block_key, ".".join(path), " The service does not say whether the configuration uses it: leave it "
                                       "empty if it does not." if optional else "")}}
        if optional:
            expected["defaultValue"] = ""
        assert template["parameters"][name] == expected


@pytest.mark.parametrize("case", list(EXISTING))
def test_an_existing_configuration_keeps_its_secret_references_in_bicep(case):
    got, params, _, _ = EXISTING[case]
    text = export(got, "bicep")
    declared = re.findall(r"^param (\w+) string( = '')?$", text, re.MULTILINE)
    assert sorted(declared) == sorted((name, " = ''" if optional else "") for name, (_, optional) in params.items())
    for name, (path, optional) in params.items():
        value = "(empty({0}) ? null : {0})".format(name) if optional else name
        assert re.search(r"^ +{}: {}$".format(path[-1], re.escape(value)), text, re.MULTILINE), name


@pytest.mark.parametrize("case", list(EXISTING))
def test_an_existing_configuration_keeps_its_secret_references_in_flux(case):
    got, params, secret, keys = EXISTING[case]
    text, _, by = flux_docs(got)
    spec = next(d for d in by.values() if d["kind"] != "Kustomization")["spec"]
    ref = "certSecretRef" if secret == "cfg-tls" else "secretRef"
    assert spec[ref] == {"name": secret}
    comment = text.split("# Secret '{}'".format(secret))[1].split("\napiVersion")[0]
    assert re.findall(r"^#   ([\w.]+): ", comment, re.MULTILINE) == keys
    flux_key = {"sasToken": "sasKey", "clientCertificate": "tls.crt" if secret == "cfg-tls" else "clientCertificate",
                "privateKey": "tls.key", "caCertificate": "ca.crt"}
    maybe = sorted(flux_key.get(path[-1], path[-1]) for path, optional in params.values() if optional)
    assert sorted(re.findall(r"^#   ([\w.]+): .*\(if the configuration uses it\)$", comment, re.MULTILINE)) == maybe


# The dry-run body, stored by the emulator (the service's stand-in) and read back as its answer has it (unset
# fields left out), then exported: every secret of the dry-run export is still a parameter; those the answer
# cannot pin down are optional (the Azure Blob account key or SAS token, a service principal's secret or
# certificate, the OCI TLS files), and a certificate's password is always optional.
ROUND_TRIP = {
    "git_https": ([], ["httpsKey"]), "git_ssh": ([], ["sshPrivateKey"]), "bucket": ([], ["bucketSecretKey"]),
    "azblob_sp_cert": (["servicePrincipalClientCertificatePassword"], ["servicePrincipalClientCertificate"]),
    "azblob_account_key": (["accountKey", "sasToken"], []),
    "azblob_sp_secret": (["servicePrincipalClientCertificate", "servicePrincipalClientCertificatePassword",
                          "servicePrincipalClientSecret"], []),
    "azblob_sas": (["accountKey", "sasToken"], []),
    "oci_tls": (["tlsConfigCaCertificate", "tlsConfigClientCertificate", "tlsConfigPrivateKey"], []),
}


@pytest.mark.parametrize("make", fx.BODIES, ids=[m.__name__ for m in fx.BODIES])
def test_export_of_what_the_service_stored_keeps_the_dry_runs_secrets(make):
    stored = dict(without_nulls(normalize(make()["properties"], "cfg")), configurationProtectedSettings={})
    template = json.loads(export(fx.wire(stored), "arm"))
    optional, required = ROUND_TRIP[make.__name__]
    params = template["parameters"]
    assert sorted(n for n, p in params.items() if "defaultValue" in p) == optional
    assert sorted(n for n, p in params.items() if "defaultValue" not in p) == required
    dry_run = json.loads(export(make(), "arm"))["parameters"]
    assert set(dry_run) <= set(params)
    source = [d for d in yaml.safe_load_all(export(make(), "flux")) if d["kind"] != "Kustomization"][0]["spec"]
    again = [d for d in yaml.safe_load_all(export(fx.wire(stored), "flux")) if d["kind"] != "Kustomization"][0]
    assert again["spec"] == source


def test_export_of_the_emulators_answers_keeps_the_dry_runs_secrets(tmp_path):
    """The same, through the emulator's HTTP answers: PUT the dry-run body, GET it back, export it."""
    from tests.emulator.emulator_harness import Emu, flux_path
    emu = Emu(tmp_path / "emu")
    try:
        for make in fx.BODIES:
            path = flux_path(make.__name__.replace("_", "-"))
            put = emu.put(path, make())
            assert put.status_code in (200, 201), put.text
            got = emu.get(path)
            assert got.status_code == 200, got.text
            params = json.loads(export(got.json(), "arm", got.json()["name"]))["parameters"]
            optional, required = ROUND_TRIP[make.__name__]
            assert (sorted(n for n, p in params.items() if "defaultValue" in p),
                    sorted(n for n, p in params.items() if "defaultValue" not in p)) == (optional, required), \
                make.__name__
            flux_objects(export(got.json(), "flux", got.json()["name"]))
    finally:
        emu.stop()


# -- every export of every fixture, in every format --------------------------------------------------
@pytest.mark.parametrize("make", fx.BODIES, ids=[m.__name__ for m in fx.BODIES])
@pytest.mark.parametrize("name", ["cfg", "a.b-c"])
def test_every_fixture_exports_objects_the_schemas_accept(make, name):
    docs = flux_objects(export(make(), "flux", name))
    assert [d["metadata"]["name"] for d in docs][0] == name
    assert len(arm_resources(export(make(), "arm", name))) == 1


# -- the checks refuse what the API server or ARM would refuse ----------------------------------------
def good_git():
    return {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": {"name": "cfg", "namespace": "default"},
            "spec": {"interval": "10m0s", "timeout": "10m0s", "url": "https://h/r", "ref": {"branch": "main"}}}


@pytest.mark.parametrize("change, message", [
    (lambda o: o["spec"].update(timeout="2h0m0s"), "spec/timeout"),
    (lambda o: o["spec"].update(url="git@github.com:org/repo.git"), "spec/url"),
    (lambda o: o["spec"].update(ref={"branch": "main"}, sshKey="x"), "'sshKey' was unexpected"),
    (lambda o: o["spec"].pop("interval"), "'interval' is a required property"),
    (lambda o: o["spec"].update(provider="gitlab"), "spec/provider"),
    (lambda o: o["metadata"].update(name="Cfg_1"), "metadata/name"),
    (lambda o: o["metadata"].update(namespace="flux.system"), "metadata/namespace"),
    (lambda o: o.update(apiVersion="source.toolkit.fluxcd.io/v2"), "not served"),
])
def test_the_crd_check_refuses_what_the_api_server_refuses(change, message):
    check_flux_object(good_git())
    obj = good_git()
    change(obj)
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_flux_object(obj)


def good_config():
    return {"type": "Microsoft.KubernetesConfiguration/fluxConfigurations", "apiVersion": "2025-04-01", "name": "cfg",
            "properties": {"sourceKind": "GitRepository", "gitRepository": {"url": "https://h/r"},
                           "kustomizations": {"k": {"prune": True}}}}


@pytest.mark.parametrize("change, message", [
    (lambda r: r["properties"]["gitRepository"].update(httpsCaCert="x"), "'httpsCaCert' was unexpected"),
    (lambda r: r["properties"]["kustomizations"]["k"].update(prune="yes"), "'yes' is not of type 'boolean'"),
    (lambda r: r["properties"].update(sourceKind="HelmRepository"), "sourceKind"),
    (lambda r: r["properties"].update(scope="Cluster"), "scope"),
    (lambda r: r.update(apiVersion="2024-11-01"), "no ARM schema for api-version 2024-11-01"),
])
def test_the_arm_check_refuses_what_arm_refuses(change, message):
    check_arm_resource(good_config())
    resource = good_config()
    change(resource)
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_arm_resource(resource)


def test_the_arm_check_knows_the_extension_resource_and_template_parameters():
    check_arm_resource({"type": "Microsoft.KubernetesConfiguration/extensions", "apiVersion": "2025-03-01",
                        "name": "flux", "properties": {"extensionType": "microsoft.flux",
                                                       "autoUpgradeMinorVersion": True,
                                                       "scope": {"cluster": {"releaseNamespace": "flux-system"}}}})
    with pytest.raises(AssertionError, match="autoUpgradeMinorVersion"):
        check_arm_resource({"type": "Microsoft.KubernetesConfiguration/extensions", "apiVersion": "2025-03-01",
                            "name": "flux", "properties": {"autoUpgradeMinorVersion": "yes"}})
    template = json.loads(export(fx.git_https(), "arm"))
    del template["parameters"]["httpsKey"]
    with pytest.raises(AssertionError, match="parameters used"):
        arm_resources(json.dumps(template))

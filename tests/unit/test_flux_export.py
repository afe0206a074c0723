"""flux_export: ARM, Bicep and Flux YAML exports parse back to what they describe, and hold no secret."""
import json
import re

import pytest
import yaml
from azext_fluxlite.core.errors import InvalidArgumentValueError
from hypothesis import given, settings, strategies as st

from azext_fluxlite.core.cluster import ClusterRef
from azext_fluxlite.flux.kustomizations import parse_kustomization
from azext_fluxlite.flux.operations import build_create_request
from azext_fluxlite.flux.export.templates import (
    API_VERSION, RESOURCE_TYPE, bicep_string, export_text, prepare,
)
from azext_fluxlite.flux.export.flux_yaml import go_duration

try:
    from . import keyfactory as kf
except ImportError:          # tests/unit is not a package: pytest put it on sys.path
    import keyfactory as kf

SUB = "00000000-0000-0000-0000-000000000000"
CLUSTER = ClusterRef(SUB, "rg1", "Microsoft.Kubernetes", "connectedClusters", "c1")
AKS = ClusterRef(SUB, "rg1", "Microsoft.ContainerService", "managedClusters", "aks1")
HYBRID = ClusterRef(SUB, "rg1", "microsoft.hybridcontainerservice", "provisionedClusters", "p1")
CID = "11111111-2222-3333-4444-555555555555"
TID = "99999999-8888-7777-6666-555555555555"
SCOPE = "Microsoft.Kubernetes/connectedClusters/c1"


def create_body(*kustomizations, **args):
    """The PUT body `flux create` would send for these CLI values (-k groups as strings)."""
    args.setdefault("name", "cfg")
    if kustomizations:
        args["kustomization"] = [parse_kustomization(k.split()) for k in kustomizations]
    return build_create_request(args)


# -- a small Bicep reader: enough of the language to parse what the export writes ---------------
class Ref(str):
    """A bare identifier in a Bicep value (a parameter or a resource symbol)."""


class BicepReader:
    ESCAPES = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "$": "$"}

    def __init__(self, text):
        self.s, self.i = text, 0

    def error(self, what):
        line = self.s.count("\n", 0, self.i) + 1
        raise AssertionError("bicep line {}: {} near {!r}".format(line, what, self.s[self.i:self.i + 30]))

    def peek(self, n=1):
        return self.s[self.i:self.i + n]

    def expect(self, text):
        if not self.s.startswith(text, self.i):
            self.error("expected {!r}".format(text))
        self.i += len(text)

    def spaces(self):
        while self.peek() == " ":
            self.i += 1

    def newline(self):
        self.spaces()
        self.expect("\n")
        while self.peek() in (" ", "\n") and self.peek():
            self.i += 1

    def string(self):
        self.expect("'")
        out = []
        while True:
            char = self.peek()
            if not char or char == "\n":
                self.error("unterminated string")
            self.i += 1
            if char == "'":
                return "".join(out)
            if char == "$" and self.peek() == "{":
                self.error("unescaped ${ (string interpolation)")
            if char == "\\":
                esc = self.peek()
                self.i += 1
                if esc in self.ESCAPES:
                    out.append(self.ESCAPES[esc])
                elif esc == "u":
                    match = re.match(r"\{([0-9A-Fa-f]{1,6})\}", self.s[self.i:])
                    if not match:
                        self.error("bad \\u escape")
                    out.append(chr(int(match.group(1), 16)))
                    self.i += match.end()
                else:
                    self.error("unknown escape \\" + esc)
            else:
                out.append(char)

    def value(self):
        char = self.peek()
        if char == "'":
            return self.string()
        if char == "{":
            return self.obj()
        if char == "[":
            return self.arr()
        match = re.match(r"-?[0-9]+|[A-Za-z_][A-Za-z0-9_]*", self.s[self.i:])
        if not match:
            self.error("expected a value")
        self.i += match.end()
        word = match.group(0)
        if word[-1].isdigit() and not word[0].isalpha():
            return int(word)
        return {"true": True, "false": False, "null": None}.get(word, Ref(word))

    def obj(self):
        self.expect("{")
        if self.peek() == "}":
            self.i += 1
            return {}
        self.newline()
        out = {}
        while self.peek() != "}":
            if self.peek() == "'":
                key = self.string()
            else:
                match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", self.s[self.i:])
                if not match:
                    self.error("expected a key")
                key = match.group(0)
                self.i += match.end()
            assert key not in out, "duplicate key " + key
            self.expect(": ")
            out[key] = self.value()
            self.newline()
        self.i += 1
        return out

    def arr(self):
        self.expect("[")
        if self.peek() == "]":
            self.i += 1
            return []
        self.newline()
        out = []
        while self.peek() != "]":
            out.append(self.value())
            self.newline()
        self.i += 1
        return out


def parse_bicep(text):
    """{"params": {name: [decorators]}, "resources": {symbol: (type, version, existing, body)}}."""
    reader = BicepReader(text)
    params, resources, decorators = {}, {}, []
    assert text.endswith("\n")
    while reader.i < len(text):
        rest = text[reader.i:]
        line = rest.split("\n", 1)[0]
        if not line.strip() or line.startswith("//"):
            reader.i += len(line) + 1
            continue
        if line.startswith("@"):
            assert re.fullmatch(r"@secure\(\)|@description\('.*'\)", line), line
            if line.startswith("@description"):
                BicepReader(line[len("@description("):]).string()
            decorators.append(line)
            reader.i += len(line) + 1
            continue
        match = re.match(r"param ([A-Za-z_][A-Za-z0-9_]*) string\n", rest)
        if match:
            params[match.group(1)] = decorators
            decorators = []
            reader.i += match.end()
            continue
        match = re.match(r"resource ([A-Za-z_][A-Za-z0-9_]*) '([A-Za-z.]+/[A-Za-z]+)@(\d{4}-\d{2}-\d{2}(-preview)?)'"
                         r"( existing)? = ", rest)
        assert match, "not a statement: " + line
        assert not decorators, "decorators before a resource"
        reader.i += match.end()
        body = reader.obj()
        reader.expect("\n")
        resources[match.group(1)] = (match.group(2), match.group(3), bool(match.group(5)), body)
    declared = set(params) | set(resources)

    def refs(value):
        if isinstance(value, Ref):
            assert value in declared, "undeclared identifier " + value
        elif isinstance(value, dict):
            for item in value.values():
                refs(item)
        elif isinstance(value, list):
            for item in value:
                refs(item)
    for resource in resources.values():
        refs(resource[3])
    return {"params": params, "resources": resources}


def resolve(value, secrets, arm=False):
    """Replace parameter references (Bicep identifiers or ARM [parameters('x')]) with secret values."""
    if isinstance(value, Ref):
        return secrets[str(value)]
    if isinstance(value, dict):
        return {k: resolve(v, secrets, arm) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, secrets, arm) for v in value]
    if arm and isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        if value.startswith("[["):
            return value[1:]
        match = re.fullmatch(r"\[parameters\('([A-Za-z_][A-Za-z0-9_]*)'\)\]", value)
        assert match, "unexpected ARM expression " + value
        return secrets[match.group(1)]
    return value


def secret_values(body):
    """{parameter name: secret value} the way the export names them."""
    return {p.name: _at(body["properties"], p.path.split(".")) for p in prepare(body).secrets}


def _at(props, path):
    for key in path:
        props = props[key]
    return props


# -- fixtures: one create body per source kind, each holding its secrets ------------------------
def git_https():
    return create_body("name=infra path=./infrastructure prune=true",
                       "name=apps path=./apps/staging prune=true dependsOn=infra interval=1h2m retry_interval=30s",
                       url="https://github.com/x/y", tag="v1", https_user="u", https_key="p@ss-HTTPS-7731",
                       https_ca_cert=kf.b64(kf.cert_pem()), timeout="3m", sync_interval="2m", namespace="flux-ns",
                       scope="namespace", suspend=True)


def git_ssh():
    return create_body(url="ssh://git@github.com/org/repo", branch="main", commit="0ba6f0d3",
                       ssh_private_key=kf.b64(kf.pem("ed25519", "openssh")),
                       known_hosts=kf.b64(kf.known_hosts_line("github.com", "ed25519")))


def bucket():
    return create_body("name=apps path=./apps", kind="bucket", url="https://s3.amazonaws.com", bucket_name="b1",
                       bucket_access_key="AKIAEXAMPLE", bucket_secret_key="BUCKET-secret-9921", sync_interval="1m")


def azblob_sp_cert():
    return create_body(kind="azblob", url="https://acct.blob.core.windows.net", container_name="cont",
                       sp_client_id=CID, sp_tenant_id=TID, sp_client_cert=kf.b64(kf.cert_pem("sp", "rsa")),
                       sp_client_cert_password="CERT-pass-5512", sp_client_cert_send_chain=True)


def azblob_account_key():
    return create_body(kind="azblob", url="https://acct.blob.core.windows.net", container_name="cont",
                       account_key=kf.b64("ACCOUNT-key-3318"))


def azblob_sp_secret():
    return create_body(kind="azblob", url="https://acct.blob.core.windows.net", container_name="cont",
                       sp_client_id=CID, sp_tenant_id=TID, sp_client_secret="SP-secret-6604")


def azblob_sas():
    return create_body(kind="azblob", url="https://acct.blob.core.windows.net", container_name="cont",
                       sas_token="?sv=2022-11-02&sig=SAS-sig-8812")


def oci_tls():
    cert, key, ca = kf.b64(kf.cert_pem("client", "rsa")), kf.b64(kf.pem("rsa")), kf.b64(kf.cert_pem())
    return create_body(kind="oci", url="oci://ghcr.io/org/repo", semver=">=1.0.0 <2.0.0",
                       oci_media_type="application/vnd.cncf.flux.content.v1.tar+gzip", oci_operation="copy",
                       tls_ca_certificate=ca, tls_client_certificate=cert, tls_private_key=key,
                       verification_provider="cosign", verification_config=["cosign.pub=BASE64KEY"],
                       match_oidc_identity=['{"issuer":"iss","subject":"sub"}'], use_workload_identity=True,
                       service_account_name="sa")


BODIES = [git_https, git_ssh, bucket, azblob_sp_cert, azblob_account_key, azblob_sp_secret, azblob_sas, oci_tls]


# -- ARM -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", BODIES)
def test_arm_round_trips_to_the_create_body(make):
    body = make()
    template = json.loads(export_text(body, "arm", "cfg", CLUSTER))
    assert template["contentVersion"] == "1.0.0.0" and "deploymentTemplate.json" in template["$schema"]
    assert "az deployment group create -g rg1" in template["metadata"]["description"]
    (resource,) = template["resources"]
    assert list(resource) == ["type", "apiVersion", "name", "scope", "properties"]
    assert (resource["type"], resource["apiVersion"], resource["name"], resource["scope"]) == (
        RESOURCE_TYPE, API_VERSION, "cfg", SCOPE)
    secrets = secret_values(body)
    assert set(template["parameters"]) == set(secrets) and secrets
    assert all(p["type"] == "securestring" and p["metadata"]["description"] for p in template["parameters"].values())
    assert resolve(resource["properties"], secrets, arm=True) == body["properties"]


def test_arm_parameters_are_named_after_the_secret():
    names = {make.__name__: [p.name for p in prepare(make()).secrets] for make in BODIES}
    assert names == {
        "git_https": ["httpsKey"], "git_ssh": ["sshPrivateKey"], "bucket": ["bucketSecretKey"],
        "azblob_sp_cert": ["servicePrincipalClientCertificate", "servicePrincipalClientCertificatePassword"],
        "azblob_account_key": ["accountKey"], "azblob_sp_secret": ["servicePrincipalClientSecret"],
        "azblob_sas": ["sasToken"], "oci_tls": ["tlsConfigClientCertificate", "tlsConfigPrivateKey"]}


def wire(props, name="cfg"):
    """A GET response around `props`, with the read-only fields the service adds."""
    full = {"statuses": [{"name": name, "kind": "GitRepository", "complianceState": "Compliant"}],
            "repositoryPublicKey": "", "sourceSyncedCommitId": "main/0ba6f0d3", "sourceUpdatedAt": "2026-01-01T00:00:00Z",
            "statusUpdatedAt": "2026-01-01T00:00:00Z", "complianceState": "Compliant", "provisioningState": "Succeeded",
            "errorMessage": "", "configurationProtectedSettings": {}, "bucket": None, "azureBlob": None,
            "ociRepository": None, "waitForReconciliation": None, "reconciliationWaitDuration": None}
    full.update(props)
    cluster = "/subscriptions/{}/resourceGroups/rg1/providers/{}".format(SUB, SCOPE)
    return {"id": cluster + "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/" + name,
            "name": name, "type": RESOURCE_TYPE, "systemData": {"createdAt": "2026-01-01T00:00:00Z"},
            "properties": full}


def test_arm_of_an_existing_configuration_keeps_only_writable_properties():
    got = wire({"scope": "cluster", "namespace": "default", "sourceKind": "GitRepository", "suspend": False,
                "gitRepository": {"url": "https://github.com/x/y", "timeoutInSeconds": 600,
                                  "repositoryRef": {"branch": "main", "tag": None, "semver": None, "commit": None},
                                  "httpsUser": "git", "httpsCACert": None, "localAuthRef": None},
                "kustomizations": {"infra": {"name": "infra", "path": "./infra", "dependsOn": [],
                                             "retryIntervalInSeconds": None, "prune": True, "postBuild": None}}})
    resource = json.loads(export_text(got, "arm", "cfg", CLUSTER))["resources"][0]
    assert resource["properties"] == {
        "scope": "cluster", "namespace": "default", "sourceKind": "GitRepository", "suspend": False,
        "gitRepository": {"url": "https://github.com/x/y", "timeoutInSeconds": 600,
                          "repositoryRef": {"branch": "main"}, "httpsUser": "git"},
        "kustomizations": {"infra": {"path": "./infra", "dependsOn": [], "prune": True}},
        # the service returns no secrets; an https user needs the key, so it becomes a parameter
        "configurationProtectedSettings": {"httpsKey": "[parameters('httpsKey')]"}}


@pytest.mark.parametrize("block_key, kind, block, expected", [
    ("gitRepository", "GitRepository", {"url": "git@github.com:org/repo.git"}, ["sshPrivateKey"]),
    ("gitRepository", "GitRepository", {"url": "ssh://git@h/r", "localAuthRef": "creds"}, []),
    ("gitRepository", "GitRepository", {"url": "https://dev.azure.com/o/p/_git/r", "provider": "Azure",
                                        "httpsUser": "x"}, []),
    ("gitRepository", "GitRepository", {"url": "https://github.com/public/repo"}, []),
    ("bucket", "Bucket", {"url": "https://s3", "bucketName": "b", "accessKey": "AK"}, ["bucketSecretKey"]),
    ("bucket", "Bucket", {"url": "https://s3", "bucketName": "b", "localAuthRef": "r", "accessKey": "AK"}, []),
])
def test_secrets_the_service_does_not_return_are_inferred(block_key, kind, block, expected):
    prepared = prepare(wire({"sourceKind": kind, block_key: block}))
    assert [s.name for s in prepared.secrets] == expected


def test_arm_escapes_literals_that_look_like_expressions():
    body = {"properties": {"sourceKind": "GitRepository", "gitRepository": {"url": "https://h/r"},
                           "kustomizations": {"k": {"path": "[not-an-expression]",
                                                    "postBuild": {"substitute": {"v": "[x]", "w": "[y"}}}}}}
    resource = json.loads(export_text(body, "arm", "cfg", CLUSTER))["resources"][0]
    k = resource["properties"]["kustomizations"]["k"]
    assert k["path"] == "[[not-an-expression]" and k["postBuild"]["substitute"] == {"v": "[[x]", "w": "[y"}
    assert resolve(resource["properties"], {}, arm=True) == body["properties"]


def test_arm_keeps_only_the_block_of_the_source_kind_and_the_reconciliation_wait():
    body = {"properties": {"sourceKind": "Bucket", "gitRepository": {"url": "https://stale"},
                           "bucket": {"url": "https://s3", "bucketName": "b", "localAuthRef": "r"},
                           "waitForReconciliation": True, "reconciliationWaitDuration": "PT30M"}}
    props = json.loads(export_text(body, "arm", "cfg", CLUSTER))["resources"][0]["properties"]
    assert props == {"sourceKind": "Bucket", "bucket": {"url": "https://s3", "bucketName": "b", "localAuthRef": "r"},
                     "waitForReconciliation": True, "reconciliationWaitDuration": "PT30M"}


# -- Bicep ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", BODIES)
def test_bicep_is_well_formed_and_round_trips(make):
    body = make()
    text = export_text(body, "bicep", "cfg", CLUSTER)
    parsed = parse_bicep(text)
    secrets = secret_values(body)
    assert set(parsed["params"]) == set(secrets)
    assert all("@secure()" in decorators for decorators in parsed["params"].values())
    cluster = parsed["resources"]["cluster"]
    assert cluster == ("Microsoft.Kubernetes/connectedClusters", cluster[1], True, {"name": "c1"})
    rtype, version, existing, config = parsed["resources"]["fluxConfig"]
    assert (rtype, version, existing) == (RESOURCE_TYPE, API_VERSION, False)
    assert config["name"] == "cfg" and config["scope"] == Ref("cluster") and list(config) == [
        "name", "scope", "properties"]
    assert resolve(config["properties"], secrets) == body["properties"]
    for name in secrets:   # each secret is a bare parameter reference, never a value
        assert re.search(r"^\s+\w+: {}$".format(name), text, re.MULTILINE)


@pytest.mark.parametrize("ref, expected", [
    (AKS, "Microsoft.ContainerService/managedClusters"),
    (HYBRID, "Microsoft.HybridContainerService/provisionedClusters"),
])
def test_the_cluster_has_the_right_type(ref, expected):
    parsed = parse_bicep(export_text(bucket(), "bicep", "cfg", ref))
    rtype, _, existing, body = parsed["resources"]["cluster"]
    assert (rtype, existing, body) == (expected, True, {"name": ref.cluster_name})
    resource = json.loads(export_text(bucket(), "arm", "cfg", ref))["resources"][0]
    assert resource["scope"] == expected + "/" + ref.cluster_name


def test_bicep_quotes_keys_that_are_not_identifiers_and_escapes_strings():
    body = {"properties": {"sourceKind": "OCIRepository", "ociRepository": {
        "url": "oci://r/x", "verify": {"provider": "cosign", "verificationConfig": {"cosign.pub": "K", "if": "x"}}},
        "kustomizations": {"my-app": {"path": "./it's\\here", "postBuild": {"substitute": {
            "cluster_env": "${CLUSTER}", "multi": "a\nb\tc", "dollar": "$5 and $ {x}", "uni": "caf\u00e9 \u2028"}}}}}}
    text = export_text(body, "bicep", "cfg", CLUSTER)
    assert "'cosign.pub': 'K'" in text and "'if': 'x'" in text and "'my-app': {" in text
    assert r"'./it\'s\\here'" in text and r"'\${CLUSTER}'" in text and r"'a\nb\tc'" in text
    assert "'$5 and $ {x}'" in text
    props = parse_bicep(text)["resources"]["fluxConfig"][3]["properties"]
    assert props == body["properties"]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 53, 2 ** 53) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_bicep_strings_round_trip(text):
    literal = bicep_string(text)
    assert "\n" not in literal and "\r" not in literal
    reader = BicepReader(literal)
    assert reader.string() == text and reader.i == len(literal)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5))
def test_any_substitutions_survive_bicep_and_arm(substitute):
    body = {"properties": {"sourceKind": "GitRepository", "gitRepository": {"url": "https://h/r"},
                           "kustomizations": {"k": {"postBuild": {"substitute": substitute}}}}}
    expected = prepare(body).props
    props = parse_bicep(export_text(body, "bicep", "cfg", CLUSTER))["resources"]["fluxConfig"][3]["properties"]
    assert props == expected
    arm = json.loads(export_text(body, "arm", "cfg", CLUSTER))["resources"][0]["properties"]
    assert resolve(arm, {}, arm=True) == expected


# -- Flux YAML -----------------------------------------------------------------------------------
def flux_docs(body, name="cfg"):
    text = export_text(body, "flux", name)
    docs = list(yaml.safe_load_all(text))
    return text, docs, {(d["kind"], d["metadata"]["name"]): d for d in docs}


def test_flux_git_objects():
    text, docs, by = flux_docs(git_https())
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
    text, _, by = flux_docs(git_ssh())
    spec = by["GitRepository", "cfg"]["spec"]
    assert spec["ref"] == {"branch": "main", "commit": "0ba6f0d3"} and spec["secretRef"] == {"name": "cfg-auth"}
    assert "#   identity:" in text and "#   known_hosts: gitRepository.sshKnownHosts" in text
    body = create_body(url="https://h/r", branch="main", local_auth_ref="my-creds", provider="generic")
    text, _, by = flux_docs(body)
    assert by["GitRepository", "cfg"]["spec"]["secretRef"] == {"name": "my-creds"}
    assert by["GitRepository", "cfg"]["spec"]["provider"] == "generic"
    assert "must hold" not in text


def test_flux_bucket_and_azure_blob():
    text, _, by = flux_docs(bucket())
    assert by["Bucket", "cfg"]["spec"] == {
        "interval": "1m0s", "timeout": "10m0s", "provider": "generic", "bucketName": "b1",
        "endpoint": "s3.amazonaws.com", "insecure": False, "secretRef": {"name": "cfg-auth"}}
    assert by["Kustomization", "cfg-apps"]["spec"]["sourceRef"] == {"kind": "Bucket", "name": "cfg"}
    assert "#   accesskey: bucket.accessKey" in text and "#   secretkey:" in text
    assert "AKIAEXAMPLE" not in text   # not a secret, but there is no need to show it either
    text, _, by = flux_docs(azblob_sp_cert())
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
    text, _, by = flux_docs(oci_tls())
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


# -- no secret anywhere -------------------------------------------------------------------------
MARK = "S3CRET-{}-VALUE"


def every_secret(kind, block_key, block):
    """A wire configuration with every secret field of the kind set, and every protected setting."""
    n = iter(range(100))
    protected = {k: MARK.format(next(n)) for k in ("sshPrivateKey", "httpsKey", "bucketSecretKey")}
    if block_key == "azureBlob":
        block.update(accountKey=MARK.format(next(n)), sasToken=MARK.format(next(n)), servicePrincipal={
            "clientId": CID, "tenantId": TID, "clientSecret": MARK.format(next(n)),
            "clientCertificate": MARK.format(next(n)), "clientCertificatePassword": MARK.format(next(n))})
    if block_key == "ociRepository":
        block["tlsConfig"] = {"clientCertificate": MARK.format(next(n)), "privateKey": MARK.format(next(n)),
                              "caCertificate": "Q0E="}
    return wire({"sourceKind": kind, block_key: block, "configurationProtectedSettings": protected,
                 "kustomizations": {"k": {"path": "./k"}}})


@pytest.mark.parametrize("kind, block_key, block", [
    ("GitRepository", "gitRepository", {"url": "https://h/r", "httpsUser": "u"}),
    ("Bucket", "bucket", {"url": "https://s3", "bucketName": "b", "accessKey": "AK"}),
    ("AzureBlob", "azureBlob", {"url": "https://a.blob.core.windows.net", "containerName": "c"}),
    ("OCIRepository", "ociRepository", {"url": "oci://r/x"}),
])
@pytest.mark.parametrize("fmt", ["arm", "bicep", "flux"])
def test_no_secret_value_in_any_export(kind, block_key, block, fmt):
    text = export_text(every_secret(kind, block_key, dict(block)), fmt, "cfg", CLUSTER)
    assert "S3CRET" not in text
    if fmt != "flux":
        assert len(prepare(every_secret(kind, block_key, dict(block))).secrets) >= 3


@pytest.mark.parametrize("make", BODIES)
@pytest.mark.parametrize("fmt", ["arm", "bicep", "flux"])
def test_no_secret_from_the_command_line_in_any_export(make, fmt):
    body = make()
    text = export_text(body, fmt, "cfg", CLUSTER)
    for value in secret_values(body).values():
        if value:
            assert value not in text
    for raw in ("p@ss-HTTPS-7731", "BUCKET-secret-9921", "CERT-pass-5512", "ACCOUNT-key-3318", "SP-secret-6604",
                "SAS-sig-8812", "PRIVATE KEY"):
        assert raw not in text and kf.b64(raw) not in text


def test_unknown_format_and_missing_cluster():
    with pytest.raises(InvalidArgumentValueError, match="--export-format must be arm, bicep or flux"):
        export_text(bucket(), "yaml", "cfg", CLUSTER)
    with pytest.raises(ValueError):
        export_text(bucket(), "arm", "cfg")
    assert export_text(bucket(), "FLUX", "cfg").startswith("# Flux objects")
    with pytest.raises(InvalidArgumentValueError, match="'HelmRepository' is not one fluxlite knows"):
        export_text({"properties": {"sourceKind": "HelmRepository"}}, "bicep", "cfg", CLUSTER)


@pytest.mark.parametrize("fmt", ["arm", "bicep", "flux"])
def test_sparse_input_does_not_break_any_format(fmt):
    for body in (None, {}, {"properties": {}}, {"properties": {"sourceKind": "AzureBlob", "azureBlob": None}}):
        assert export_text(body, fmt, "cfg", CLUSTER).endswith("\n")


def test_argument_choices_match_the_exporters():
    from azext_fluxlite.flux.export import params as _params_export
    from azext_fluxlite import _params_common as _params_preview
    from azext_fluxlite.flux import graph as flux_graph
    from azext_fluxlite.flux.export import templates as flux_export
    assert tuple(_params_export.EXPORT_FORMATS) == tuple(flux_export.EXPORT_FORMATS)
    assert tuple(_params_preview.EXPORT_FORMATS) == tuple(flux_export.EXPORT_FORMATS)
    assert tuple(_params_export.GRAPH_FORMATS) == tuple(flux_graph.GRAPH_FORMATS)

"""ARM and Bicep exports: what they hold, written out; every ARM template checked against the ARM schema.

Expected values are written here, not taken from the exporter: the parameter names and the places
they stand, the full text of a Bicep file and of an ARM template.  Every export goes through
`export()` (export_fixtures), which validates it against the official schema of its format.
"""
import copy
import json
import re

import pytest
from azext_fluxlite.core.errors import InvalidArgumentValueError
from hypothesis import given, settings, strategies as st

from azext_fluxlite.flux.export.templates import bicep_string, export_text

try:
    from . import export_fixtures as fx
    from . import keyfactory as kf
except ImportError:          # tests/unit is not a package: pytest put it on sys.path
    import export_fixtures as fx
    import keyfactory as kf

BODIES = fx.BODIES
export = fx.export
PROTECTED = "configurationProtectedSettings"
# Per create body: each secure parameter and the place in `properties` it stands for.
SECRET_PARAMS = {
    "git_https": {"httpsKey": (PROTECTED, "httpsKey")},
    "git_ssh": {"sshPrivateKey": (PROTECTED, "sshPrivateKey")},
    "bucket": {"bucketSecretKey": (PROTECTED, "bucketSecretKey")},
    "azblob_sp_cert": {"servicePrincipalClientCertificate": ("azureBlob", "servicePrincipal", "clientCertificate"),
                       "servicePrincipalClientCertificatePassword": ("azureBlob", "servicePrincipal",
                                                                     "clientCertificatePassword")},
    "azblob_account_key": {"accountKey": ("azureBlob", "accountKey")},
    "azblob_sp_secret": {"servicePrincipalClientSecret": ("azureBlob", "servicePrincipal", "clientSecret")},
    "azblob_sas": {"sasToken": ("azureBlob", "sasToken")},
    "oci_tls": {"tlsConfigClientCertificate": ("ociRepository", "tlsConfig", "clientCertificate"),
                "tlsConfigPrivateKey": ("ociRepository", "tlsConfig", "privateKey")},
}
DESCRIPTIONS = {
    "httpsKey": "Base64 of the HTTPS password or token for the git repository.",
    "sshPrivateKey": "Base64-encoded SSH private key (PEM) for the git repository.",
    "bucketSecretKey": "Base64 of the bucket's secret access key.",
    "servicePrincipalClientCertificate": "Secret value of properties.azureBlob.servicePrincipal.clientCertificate.",
    "servicePrincipalClientCertificatePassword":
        "Secret value of properties.azureBlob.servicePrincipal.clientCertificatePassword.",
    "accountKey": "Secret value of properties.azureBlob.accountKey.",
    "servicePrincipalClientSecret": "Secret value of properties.azureBlob.servicePrincipal.clientSecret.",
    "sasToken": "Secret value of properties.azureBlob.sasToken.",
    "tlsConfigClientCertificate": "Secret value of properties.ociRepository.tlsConfig.clientCertificate.",
    "tlsConfigPrivateKey": "Secret value of properties.ociRepository.tlsConfig.privateKey.",
}


def with_parameters(props, params):
    """`props` with each secret replaced by its ARM parameter reference."""
    out = copy.deepcopy(props)
    for name, path in params.items():
        holder = out
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = "[parameters('{}')]".format(name)
    return out


# -- ARM -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", BODIES, ids=[m.__name__ for m in BODIES])
def test_arm_is_the_create_body_with_each_secret_a_secure_parameter(make):
    body = make()
    template = json.loads(export(body, "arm"))
    params = SECRET_PARAMS[make.__name__]
    assert template["parameters"] == {name: {"type": "securestring", "metadata": {"description": DESCRIPTIONS[name]}}
                                      for name in params}
    (resource,) = template["resources"]
    assert resource == {"type": "Microsoft.KubernetesConfiguration/fluxConfigurations", "apiVersion": "2025-04-01",
                        "name": "cfg", "scope": "Microsoft.Kubernetes/connectedClusters/c1",
                        "properties": with_parameters(body["properties"], params)}


def test_arm_template_in_full():
    assert json.loads(export(fx.git_https(), "arm")) == {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "metadata": {"description": "Flux configuration 'cfg' on connectedClusters 'c1', exported by fluxlite. Deploy "
                                    "it to the cluster's resource group: az deployment group create -g rg1 "
                                    "--template-file <this file>"},
        "parameters": {"httpsKey": {"type": "securestring", "metadata": {
            "description": "Base64 of the HTTPS password or token for the git repository."}}},
        "resources": [{
            "type": "Microsoft.KubernetesConfiguration/fluxConfigurations", "apiVersion": "2025-04-01", "name": "cfg",
            "scope": "Microsoft.Kubernetes/connectedClusters/c1",
            "properties": {
                "scope": "namespace", "namespace": "flux-ns", "sourceKind": "GitRepository", "suspend": True,
                "gitRepository": {"url": "https://github.com/x/y", "timeoutInSeconds": 180,
                                  "syncIntervalInSeconds": 120,
                                  "repositoryRef": {"tag": "v1"}, "httpsUser": "u", "httpsCACert": fx.CA},
                "kustomizations": {
                    "infra": {"path": "./infrastructure", "prune": True},
                    "apps": {"path": "./apps/staging", "dependsOn": ["infra"], "syncIntervalInSeconds": 3720,
                             "retryIntervalInSeconds": 30, "prune": True}},
                "configurationProtectedSettings": {"httpsKey": "[parameters('httpsKey')]"}}}]}


def test_arm_of_an_existing_configuration_keeps_only_writable_properties():
    got = fx.wire({"scope": "cluster", "namespace": "default", "sourceKind": "GitRepository", "suspend": False,
                   "gitRepository": {"url": "https://github.com/x/y", "timeoutInSeconds": 600,
                                     "repositoryRef": {"branch": "main", "tag": None, "semver": None, "commit": None},
                                     "httpsUser": "git", "httpsCACert": None, "localAuthRef": None},
                   "kustomizations": {"infra": {"name": "infra", "path": "./infra", "dependsOn": [],
                                                "retryIntervalInSeconds": None, "prune": True, "postBuild": None}}})
    resource = json.loads(export(got, "arm"))["resources"][0]
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
    template = json.loads(export(fx.wire({"sourceKind": kind, block_key: block}), "arm"))
    assert list(template["parameters"]) == expected


def test_arm_escapes_literals_that_look_like_expressions():
    body = {"properties": {"sourceKind": "GitRepository", "gitRepository": {"url": "https://h/r"},
                           "kustomizations": {"k": {"path": "[not-an-expression]",
                                                    "postBuild": {"substitute": {"v": "[x]", "w": "[y"}}}}}}
    resource = json.loads(export(body, "arm"))["resources"][0]
    assert resource["properties"] == {
        "sourceKind": "GitRepository", "gitRepository": {"url": "https://h/r"},
        "kustomizations": {"k": {"path": "[[not-an-expression]",
                                 "postBuild": {"substitute": {"v": "[[x]", "w": "[y"}}}}}


def test_arm_keeps_only_the_block_of_the_source_kind_and_the_reconciliation_wait():
    body = {"properties": {"sourceKind": "Bucket", "gitRepository": {"url": "https://stale"},
                           "bucket": {"url": "https://s3", "bucketName": "b", "localAuthRef": "r"},
                           "waitForReconciliation": True, "reconciliationWaitDuration": "PT30M"}}
    props = json.loads(export(body, "arm"))["resources"][0]["properties"]
    assert props == {"sourceKind": "Bucket", "bucket": {"url": "https://s3", "bucketName": "b", "localAuthRef": "r"},
                     "waitForReconciliation": True, "reconciliationWaitDuration": "PT30M"}


def arm_literal(value):
    """What ARM makes of a template string: '[[' starts a literal '['."""
    return value[1:] if value.startswith("[[") else value


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.text(max_size=12), max_size=5))
def test_any_substitutions_survive_arm(substitute):
    body = {"properties": {"sourceKind": "GitRepository", "gitRepository": {"url": "https://h/r"},
                           "kustomizations": {"k": {"postBuild": {"substitute": substitute}}}}}
    props = json.loads(export(body, "arm"))["resources"][0]["properties"]
    got = props["kustomizations"]["k"]["postBuild"]["substitute"]
    assert {k: arm_literal(v) for k, v in got.items()} == substitute
    assert all(not (v.startswith("[") and v.endswith("]")) or v.startswith("[[") for v in got.values())


# -- Bicep: the compiler is not available here, so the expected text is written out -----------------
BICEP_GIT_HTTPS = """\
// Flux configuration 'cfg' on connectedClusters 'c1', exported by fluxlite.
// Deploy it to the cluster's resource group: az deployment group create -g rg1 -f <this file>
// Secrets are not exported: give each @secure() parameter when you deploy.

@secure()
@description('Base64 of the HTTPS password or token for the git repository.')
param httpsKey string

resource cluster 'Microsoft.Kubernetes/connectedClusters@2024-01-01' existing = {
  name: 'c1'
}

resource fluxConfig 'Microsoft.KubernetesConfiguration/fluxConfigurations@2025-04-01' = {
  name: 'cfg'
  scope: cluster
  properties: {
    scope: 'namespace'
    namespace: 'flux-ns'
    sourceKind: 'GitRepository'
    suspend: true
    gitRepository: {
      url: 'https://github.com/x/y'
      timeoutInSeconds: 180
      syncIntervalInSeconds: 120
      repositoryRef: {
        tag: 'v1'
      }
      httpsUser: 'u'
      httpsCACert: '%s'
    }
    kustomizations: {
      infra: {
        path: './infrastructure'
        prune: true
      }
      apps: {
        path: './apps/staging'
        dependsOn: [
          'infra'
        ]
        syncIntervalInSeconds: 3720
        retryIntervalInSeconds: 30
        prune: true
      }
    }
    configurationProtectedSettings: {
      httpsKey: httpsKey
    }
  }
}
"""


def test_bicep_in_full():
    assert export(fx.git_https(), "bicep") == BICEP_GIT_HTTPS % fx.CA


def test_bicep_of_a_service_principal_certificate():
    text = export(fx.azblob_sp_cert(), "bicep")
    assert text.endswith("""
@secure()
@description('Secret value of properties.azureBlob.servicePrincipal.clientCertificate.')
param servicePrincipalClientCertificate string

@secure()
@description('Secret value of properties.azureBlob.servicePrincipal.clientCertificatePassword.')
param servicePrincipalClientCertificatePassword string

resource cluster 'Microsoft.Kubernetes/connectedClusters@2024-01-01' existing = {
  name: 'c1'
}

resource fluxConfig 'Microsoft.KubernetesConfiguration/fluxConfigurations@2025-04-01' = {
  name: 'cfg'
  scope: cluster
  properties: {
    scope: 'cluster'
    namespace: 'default'
    sourceKind: 'AzureBlob'
    suspend: false
    azureBlob: {
      url: 'https://acct.blob.core.windows.net'
      containerName: 'cont'
      servicePrincipal: {
        clientId: '11111111-2222-3333-4444-555555555555'
        tenantId: '99999999-8888-7777-6666-555555555555'
        clientCertificate: servicePrincipalClientCertificate
        clientCertificatePassword: servicePrincipalClientCertificatePassword
        clientCertificateSendChain: true
      }
    }
    kustomizations: {
      'kustomization-1': {
        path: ''
        timeoutInSeconds: 600
        syncIntervalInSeconds: 600
        prune: false
        force: false
        wait: true
      }
    }
  }
}
""")


@pytest.mark.parametrize("make", BODIES, ids=[m.__name__ for m in BODIES])
def test_bicep_declares_and_uses_each_secure_parameter(make):
    text = export(make(), "bicep")
    params = SECRET_PARAMS[make.__name__]
    assert re.findall(r"^param (\w+) string$", text, re.MULTILINE) == list(params)
    for name, path in params.items():
        assert "@secure()\n@description({})\nparam {} string\n".format(bicep_string(DESCRIPTIONS[name]), name) in text
        assert re.search(r"^ +{}: {}$".format(re.escape(path[-1]), name), text, re.MULTILINE), name


@pytest.mark.parametrize("ref, expected", [
    (fx.AKS, "Microsoft.ContainerService/managedClusters@2024-09-01"),
    (fx.HYBRID, "Microsoft.HybridContainerService/provisionedClusters@2022-09-01-preview"),
])
def test_the_cluster_has_the_right_type(ref, expected):
    text = export(fx.bucket(), "bicep", cluster=ref)
    assert "\nresource cluster '{}' existing = {{\n  name: '{}'\n}}\n".format(expected, ref.cluster_name) in text
    resource = json.loads(export(fx.bucket(), "arm", cluster=ref))["resources"][0]
    assert resource["scope"] == expected.split("@")[0] + "/" + ref.cluster_name


def test_bicep_quotes_keys_that_are_not_identifiers_and_escapes_strings():
    body = {"properties": {"sourceKind": "OCIRepository", "ociRepository": {
        "url": "oci://r/x", "verify": {"provider": "cosign", "verificationConfig": {"cosign.pub": "K", "if": "x"}}},
        "kustomizations": {"my-app": {"path": "./it's\\here", "postBuild": {"substitute": {
            "cluster_env": "${CLUSTER}", "multi": "a\nb\tc", "dollar": "$5 and $ {x}", "uni": "caf\u00e9 \u2028"}}}}}}
    text = export(body, "bicep")
    assert text.split("resource fluxConfig ")[1] == r"""'Microsoft.KubernetesConfiguration/fluxConfigurations@2025-04-01' = {
  name: 'cfg'
  scope: cluster
  properties: {
    sourceKind: 'OCIRepository'
    ociRepository: {
      url: 'oci://r/x'
      verify: {
        provider: 'cosign'
        verificationConfig: {
          'cosign.pub': 'K'
          'if': 'x'
        }
      }
    }
    kustomizations: {
      'my-app': {
        path: './it\'s\\here'
        postBuild: {
          substitute: {
            cluster_env: '\${CLUSTER}'
            multi: 'a\nb\tc'
            dollar: '$5 and $ {x}'
            uni: 'café \u{2028}'
          }
        }
      }
    }
  }
}
"""


@pytest.mark.parametrize("text, literal", [
    ("plain", "'plain'"), ("it's", r"'it\'s'"), ("a\\b", r"'a\\b'"), ("${x}", r"'\${x}'"), ("$ {x}", "'$ {x}'"),
    ("l1\nl2\r\t", r"'l1\nl2\r\t'"), ("\x00\x1f\x7f", r"'\u{0}\u{1F}\u{7F}'"), ("\u2029", r"'\u{2029}'"),
    ("caf\u00e9", "'caf\u00e9'"),
])
def test_bicep_string_literals(text, literal):
    assert bicep_string(text) == literal


def bicep_unquote(literal):
    """The value of a single-quoted Bicep string literal (the escapes Bicep's grammar defines)."""
    assert literal[0] == literal[-1] == "'" and "\n" not in literal
    escapes = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "$": "$"}
    out, i, body = [], 0, literal[1:-1]
    while i < len(body):
        char = body[i]
        assert char != "'", "unescaped quote"
        assert body[i:i + 2] != "${", "unescaped interpolation"
        if char == "\\":
            match = re.match(r"u\{([0-9A-F]{1,6})\}", body[i + 1:])
            if match:
                out.append(chr(int(match.group(1), 16)))
                i += 1 + match.end()
                continue
            out.append(escapes[body[i + 1]])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_bicep_strings_round_trip(text):
    assert bicep_unquote(bicep_string(text)) == text


# -- no secret anywhere ---------------------------------------------------------------------------
MARK = "S3CRET-{}-VALUE"


def every_secret(kind, block_key, block):
    """A wire configuration with every secret field of the kind set, and every protected setting."""
    n = iter(range(100))
    protected = {k: MARK.format(next(n)) for k in ("sshPrivateKey", "httpsKey", "bucketSecretKey")}
    if block_key == "azureBlob":
        block.update(accountKey=MARK.format(next(n)), sasToken=MARK.format(next(n)), servicePrincipal={
            "clientId": fx.CID, "tenantId": fx.TID, "clientSecret": MARK.format(next(n)),
            "clientCertificate": MARK.format(next(n)), "clientCertificatePassword": MARK.format(next(n))})
    if block_key == "ociRepository":
        block["tlsConfig"] = {"clientCertificate": MARK.format(next(n)), "privateKey": MARK.format(next(n)),
                              "caCertificate": "Q0E="}
    return fx.wire({"sourceKind": kind, block_key: block, "configurationProtectedSettings": protected,
                    "kustomizations": {"k": {"path": "./k"}}})


PROTECTED_PARAMS = ["sshPrivateKey", "httpsKey", "bucketSecretKey"]


@pytest.mark.parametrize("kind, block_key, block, params", [
    ("GitRepository", "gitRepository", {"url": "https://h/r", "httpsUser": "u"}, PROTECTED_PARAMS),
    ("Bucket", "bucket", {"url": "https://s3", "bucketName": "b", "accessKey": "AK"}, PROTECTED_PARAMS),
    ("AzureBlob", "azureBlob", {"url": "https://a.blob.core.windows.net", "containerName": "c"},
     ["accountKey", "sasToken", "servicePrincipalClientSecret", "servicePrincipalClientCertificate",
      "servicePrincipalClientCertificatePassword"] + PROTECTED_PARAMS),
    ("OCIRepository", "ociRepository", {"url": "oci://r/x"},
     ["tlsConfigClientCertificate", "tlsConfigPrivateKey"] + PROTECTED_PARAMS),
])
@pytest.mark.parametrize("fmt", ["arm", "bicep", "flux"])
def test_no_secret_value_in_any_export(kind, block_key, block, params, fmt):
    text = export(every_secret(kind, block_key, dict(block)), fmt)
    assert "S3CRET" not in text
    if fmt == "arm":
        assert list(json.loads(text)["parameters"]) == params
    if fmt == "bicep":
        assert re.findall(r"^param (\w+) string$", text, re.MULTILINE) == params


@pytest.mark.parametrize("make", BODIES, ids=[m.__name__ for m in BODIES])
@pytest.mark.parametrize("fmt", ["arm", "bicep", "flux"])
def test_no_secret_from_the_command_line_in_any_export(make, fmt):
    text = export(make(), fmt)
    for raw in fx.RAW_SECRETS + ("PRIVATE KEY",):
        assert raw not in text and kf.b64(raw) not in text
    for value in (fx.CLIENT_KEY, fx.SSH_KEY, fx.SP_CERT, fx.CLIENT_CERT):
        assert value not in text


def test_unknown_format_and_missing_cluster():
    with pytest.raises(InvalidArgumentValueError, match="--export-format must be arm, bicep or flux"):
        export_text(fx.bucket(), "yaml", "cfg", fx.CLUSTER)
    with pytest.raises(ValueError):
        export_text(fx.bucket(), "arm", "cfg")
    assert export(fx.bucket(), "FLUX").startswith("# Flux objects")
    with pytest.raises(InvalidArgumentValueError, match="'HelmRepository' is not one fluxlite knows"):
        export_text({"properties": {"sourceKind": "HelmRepository"}}, "bicep", "cfg", fx.CLUSTER)


@pytest.mark.unchecked_export
@pytest.mark.parametrize("fmt", ["arm", "bicep", "flux"])
def test_sparse_input_does_not_break_any_format(fmt):
    # not schema-checked: a configuration with no source URL cannot make a valid object
    for body in (None, {}, {"properties": {}}, {"properties": {"sourceKind": "AzureBlob", "azureBlob": None}}):
        assert export_text(body, fmt, "cfg", fx.CLUSTER).endswith("\n")


def test_argument_choices_match_the_exporters():
    from azext_fluxlite.flux.export import params as _params_export
    from azext_fluxlite import _params_common as _params_preview
    from azext_fluxlite.flux import graph as flux_graph
    from azext_fluxlite.flux.export import templates as flux_export
    assert tuple(_params_export.EXPORT_FORMATS) == tuple(flux_export.EXPORT_FORMATS) == ("arm", "bicep", "flux")
    assert tuple(_params_preview.EXPORT_FORMATS) == tuple(flux_export.EXPORT_FORMATS)
    assert tuple(_params_export.GRAPH_FORMATS) == tuple(flux_graph.GRAPH_FORMATS) == ("mermaid", "dot")

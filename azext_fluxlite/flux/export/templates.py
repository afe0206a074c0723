"""Export a flux configuration as an ARM template, a Bicep file or the Flux objects it creates (pure).

`export_text(body, fmt, config_name, cluster_ref)` takes anything with `properties`: the GET
response of an existing configuration, or the PUT body `flux.operations.build_create_request` builds
(`flux create --dry-run --export-format`).  `prepare` keeps the writable properties (no statuses,
states, timestamps, kustomization `name`; no nulls; only the block `sourceKind` names) and puts a
`SecretParam` where each secret was (`_redaction.SECRET_FIELDS`, every protected setting).  The
service never returns secrets, so those the source needs are inferred: an ssh git URL needs
`sshPrivateKey`, an https user `httpsKey`, a bucket access key `bucketSecretKey` (unless
`localAuthRef` or the Azure provider is used), and secret fields the answer holds blank stay
parameters (`_unreturned_secrets`: a service principal's secret or certificate, an account key or SAS
token, an OCI client certificate, key and CA).  Renderers: `arm` (a `securestring` parameter per
secret), `bicep` (a `@secure() param` per secret, scope an `existing` cluster), `flux` (YAML, the
API's defaults spelled out, a `secretRef` and a comment listing the keys that secret must hold).
Placeholders are all that is left where a secret was, so no secret value can reach any output.
"""
import json
import re
from collections import namedtuple

from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.redaction import SECRET_FIELDS
from azext_fluxlite.flux.source import SOURCE_KINDS, cli_kind_of

EXPORT_FORMATS = ("arm", "bicep", "flux")
API_VERSION = "2025-04-01"
RESOURCE_TYPE = "Microsoft.KubernetesConfiguration/fluxConfigurations"
ARM_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
# Writable FluxConfigurationProperties of 2025-04-01 (arm-protocol.md §4.1), in the API's order.
WRITABLE = ("scope", "namespace", "sourceKind", "suspend", "gitRepository", "bucket", "azureBlob",
            "ociRepository", "kustomizations", "configurationProtectedSettings", "waitForReconciliation",
            "reconciliationWaitDuration")
BLOCK_KEYS = {k.source_kind: k.block_key for k in SOURCE_KINDS.values()}
# cluster type -> (resource provider as ARM spells it, API version of the `existing` Bicep reference)
CLUSTER_TYPES = {
    "connectedClusters": ("Microsoft.Kubernetes", "2024-01-01"),
    "managedClusters": ("Microsoft.ContainerService", "2024-09-01"),
    "provisionedClusters": ("Microsoft.HybridContainerService", "2022-09-01-preview"),
}
_SECRET_TEXT = {
    "sshPrivateKey": "Base64-encoded SSH private key (PEM) for the git repository.",
    "httpsKey": "Base64 of the HTTPS password or token for the git repository.",
    "bucketSecretKey": "Base64 of the bucket's secret access key.",
}
PROTECTED = "configurationProtectedSettings"
# Bicep keywords: quoted when they are object keys, never used as parameter names (nor the two symbols).
_KEYWORDS = frozenset(["true", "false", "null", "if", "for", "in", "resource", "param", "var", "output", "module",
                       "existing", "import", "using", "type", "func", "metadata", "targetScope", "extension",
                       "assert", "with", "as", "from"])
_TAKEN = _KEYWORDS | {"cluster", "fluxConfig"}

# optional: the service does not say whether the configuration uses it (left empty, the field is unset)
SecretParam = namedtuple("SecretParam", "name path description optional", defaults=(False,))
Prepared = namedtuple("Prepared", "props secrets kind")   # kind: the API's sourceKind, canonical spelling


def export_text(body, fmt, config_name, cluster_ref=None):
    """The configuration in `body` (wire JSON or PUT body) as text in `fmt` (arm, bicep or flux).

    `cluster_ref` (a `_cluster.ClusterRef`, or anything with cluster_type, cluster_name and
    resource_group) is needed for arm and bicep.
    """
    fmt = check_export_format(fmt)
    # Plain JSON types only: az hands argument defaults over as str subclasses, which YAML refuses.
    prepared = prepare(json.loads(json.dumps(body)))
    if fmt == "flux":
        from azext_fluxlite.flux.export.flux_yaml import flux_yaml
        return flux_yaml(prepared, config_name)
    if cluster_ref is None:
        raise ValueError("export to {} needs the cluster".format(fmt))
    return arm_template(prepared, config_name, cluster_ref) if fmt == "arm" else bicep(prepared, config_name,
                                                                                          cluster_ref)


def check_export_format(fmt):
    """The export format in lower case; a clear error for an unknown one."""
    text = str(fmt or "").lower()
    if text not in EXPORT_FORMATS:
        raise InvalidArgumentValueError("--export-format must be arm, bicep or flux, not '{}'.".format(fmt))
    return text


# -- 1 + 2: writable properties, secrets as parameters -----------------------------------------
def _drop_nulls(value):
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _identifier(text, taken):
    name = re.sub(r"[^A-Za-z0-9_]", "_", str(text)) or "secret"
    if name[0].isdigit():
        name = "p" + name
    base, n = name, 2
    while name in taken or name in _TAKEN:
        name, n = "{}{}".format(base, n), n + 1
    taken.add(name)
    return name


# A secret the service holds but does not return (the GET answer has it null, blank or not at all),
# and one it may hold: the answer does not tell whether that one is in use.
_UNRETURNED, _MAYBE = object(), object()
_SP_SECRETS = ("clientSecret", "clientCertificate", "clientCertificatePassword")
_TLS_SECRETS = ("clientCertificate", "privateKey", "caCertificate")


def _blank(block, key):
    return isinstance(block, dict) and key in block and block[key] in (None, "")


def _given(block, key):
    return isinstance(block, dict) and block.get(key) not in (None, "")


def _named(block, keys):
    """[(key, optional)] for secret `keys` the answer holds none of: the ones it names blank are in
    use; when it names none or all of them it cannot tell, and each may be in use (optional)."""
    blank = [k for k in keys if _blank(block, k)]
    if blank and len(blank) < len(keys):
        return [(k, False) for k in blank]
    return [(k, True) for k in keys]


def _unreturned_secrets(block_key, raw):
    """[(path, optional)] in the source block of secrets in use that the service did not return.

    Only for a GET answer (a PUT body of a dry-run holds its secrets): it holds them blank or leaves
    them out.  A secret it names blank while leaving its alternatives out is in use;
    a service principal that sends its certificate chain uses a certificate; another Azure Blob auth
    kind rules out an account key and a SAS token.  What the answer cannot decide becomes optional:
    a parameter that may be left empty, and the field is then sent as null (unset).
    """
    if not isinstance(raw, dict):
        return []
    paths = []
    if block_key == "azureBlob":
        sp = raw.get("servicePrincipal")
        if isinstance(sp, dict) and not any(_given(sp, k) for k in _SP_SECRETS):
            kinds = ([("clientCertificate", False)] if sp.get("clientCertificateSendChain")
                     else _named(sp, ("clientSecret", "clientCertificate")))
            if any(k == "clientCertificate" for k, _ in kinds):   # its password is optional in the API
                kinds.append(("clientCertificatePassword", not (_blank(sp, "clientCertificatePassword") and
                                                                not _blank(sp, "clientSecret"))))
            paths += [(("servicePrincipal", k), optional) for k, optional in kinds]
        other_auth = isinstance(sp, dict) or _given(raw, "localAuthRef") or \
            _given(raw.get("managedIdentity"), "clientId")
        if not other_auth and not any(_given(raw, k) for k in ("accountKey", "sasToken")):
            paths += [((k,), optional) for k, optional in _named(raw, ("accountKey", "sasToken"))]
    tls = raw.get("tlsConfig") if block_key == "ociRepository" else None
    if isinstance(tls, dict) and any(_given(tls, k) for k in _TLS_SECRETS):   # a CA certificate returned
        paths += [(("tlsConfig", k), False) for k in _TLS_SECRETS if _blank(tls, k)]
    elif isinstance(tls, dict):
        paths += [(("tlsConfig", k), optional) for k, optional in _named(tls, _TLS_SECRETS)]
    return paths


def _mark_unreturned(block, paths):
    for path, optional in paths:
        holder = block
        for part in path[:-1]:
            holder = holder.setdefault(part, {})
        holder[path[-1]] = _MAYBE if optional else _UNRETURNED


def prepare(body):
    """Writable, null-free properties with every secret replaced by its SecretParam (see module doc)."""
    raw = (body or {}).get("properties") or {}
    props = _drop_nulls(raw)
    spec = SOURCE_KINDS[cli_kind_of(props.get("sourceKind"))]   # a clear error for an unknown kind
    kind, block_key = spec.source_kind, spec.block_key
    out = {k: props[k] for k in WRITABLE if k in props and (k not in BLOCK_KEYS.values() or k == block_key)}
    if "kustomizations" in out:
        out["kustomizations"] = {n: {k: v for k, v in (b or {}).items() if k != "name"}
                                 for n, b in out["kustomizations"].items()}
    secrets, taken = [], set()

    def param(path, optional):
        # named after the field inside the source block: accountKey, servicePrincipalClientSecret, ...
        camel = path[1] + "".join(p[:1].upper() + p[1:] for p in path[2:])
        description = "Secret value of properties.{}.".format(".".join(path))
        if optional:
            description += (" The service does not say whether the configuration uses it: leave it empty"
                            " if it does not.")
        secret = SecretParam(_identifier(camel, taken), ".".join(path), description, optional)
        secrets.append(secret)
        return secret

    def walk(value, path):
        if isinstance(value, dict):
            return {k: (param(path + (k,), v is _MAYBE)
                        if k in SECRET_FIELDS or v in (_UNRETURNED, _MAYBE) else walk(v, path + (k,)))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, path) for v in value]
        return value

    protected = dict(out.pop(PROTECTED, None) or {})
    answer = "id" in (body or {}) or "provisioningState" in raw   # a GET answer, not a PUT body
    if block_key in out:
        if answer:
            _mark_unreturned(out[block_key], _unreturned_secrets(block_key, raw.get(block_key)))
        out[block_key] = walk(out[block_key], (block_key,))
        for key in _needed_protected(kind, out[block_key]):
            protected.setdefault(key, "")
    if protected:   # every value of the map is a secret (`_redaction.SECRET_MAPS`)
        out[PROTECTED] = {key: SecretParam(_identifier(key, taken), PROTECTED + "." + key,
                                           _SECRET_TEXT.get(key, "Protected setting {}.".format(key)))
                          for key in protected}
        secrets.extend(out[PROTECTED].values())
    return Prepared({k: out[k] for k in WRITABLE if k in out}, secrets, kind)


def _is_ssh(url):
    text = str(url or "").lower()
    return text.startswith("ssh://") or bool(re.match(r"^[^/:@]+@[^/:]+:", text))


def _needed_protected(kind, block):
    """Protected settings the source needs though the service does not return them."""
    if block.get("localAuthRef"):
        return []
    if kind == "GitRepository" and str(block.get("provider") or "").lower() != "azure":
        if _is_ssh(block.get("url")):
            return ["sshPrivateKey"]
        return ["httpsKey"] if block.get("httpsUser") else []
    if kind == "Bucket" and block.get("accessKey"):
        return ["bucketSecretKey"]
    return []


def _cluster(cluster_ref):
    ctype = cluster_ref.cluster_type
    rp, version = CLUSTER_TYPES.get(ctype, (getattr(cluster_ref, "cluster_rp", None), "2024-01-01"))
    return rp + "/" + ctype, version


# -- 3a: ARM ---------------------------------------------------------------------------------
def _arm_value(value):
    if isinstance(value, SecretParam):
        if value.optional:   # left empty: the field is sent as null, i.e. not set
            return "[if(empty(parameters('{0}')), null(), parameters('{0}'))]".format(value.name)
        return "[parameters('{}')]".format(value.name)
    if isinstance(value, dict):
        return {k: _arm_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_arm_value(v) for v in value]
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        return "[" + value   # a literal, not an ARM expression
    return value


def arm_template(prepared, config_name, cluster_ref):
    """A deployment template for the cluster's resource group.

    `scope` names the cluster as ARM documents it for extension resources (type/name, resolved in
    the deployment's resource group, which is what Bicep's `scope: cluster` compiles to), so the
    template is not tied to one subscription.
    """
    cluster_type, _ = _cluster(cluster_ref)
    template = {
        "$schema": ARM_SCHEMA, "contentVersion": "1.0.0.0",
        "metadata": {"description": "Flux configuration '{}' on {} '{}', exported by fluxlite. Deploy it to the "
                                    "cluster's resource group: az deployment group create -g {} --template-file "
                                    "<this file>".format(config_name, cluster_ref.cluster_type,
                                                         cluster_ref.cluster_name,
                                                         cluster_ref.resource_group or "<resource group>")},
        "parameters": {p.name: dict({"type": "securestring", "metadata": {"description": p.description}},
                                    **({"defaultValue": ""} if p.optional else {}))
                       for p in prepared.secrets},
        "resources": [{"type": RESOURCE_TYPE, "apiVersion": API_VERSION, "name": config_name,
                       "scope": _arm_value("{}/{}".format(cluster_type, cluster_ref.cluster_name)),
                       "properties": _arm_value(prepared.props)}],
    }
    return json.dumps(template, indent=2) + "\n"


# -- 3b: Bicep -------------------------------------------------------------------------------
_BICEP_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def bicep_string(text):
    """A single-quoted Bicep string literal of `text`."""
    out = []
    for i, char in enumerate(text):
        if char in _BICEP_ESCAPES:
            out.append(_BICEP_ESCAPES[char])
        elif char == "$" and text[i + 1:i + 2] == "{":
            out.append("\\$")
        elif ord(char) < 0x20 or char in "\x7f\u2028\u2029":
            out.append("\\u{%X}" % ord(char))
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def _bicep_key(key):
    key = str(key)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) and key not in _KEYWORDS:
        return key
    return bicep_string(key)


def bicep_value(value, indent=0):
    """`value` (JSON with SecretParam placeholders) as a Bicep expression at `indent` levels."""
    pad = "  " * indent
    if isinstance(value, SecretParam):
        return "(empty({0}) ? null : {0})".format(value.name) if value.optional else value.name
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "json({})".format(bicep_string(json.dumps(value)))   # Bicep has no float literal
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = ["{}  {}: {}".format(pad, _bicep_key(k), bicep_value(v, indent + 1)) for k, v in value.items()]
        return "{\n" + "\n".join(lines) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "\n".join(pad + "  " + bicep_value(v, indent + 1) for v in value) + "\n" + pad + "]"
    return bicep_string(str(value))


def _comment(text):
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", " ", str(text))


def bicep(prepared, config_name, cluster_ref):
    cluster_type, version = _cluster(cluster_ref)
    lines = [
        "// Flux configuration '{}' on {} '{}', exported by fluxlite.".format(
            _comment(config_name), cluster_ref.cluster_type, _comment(cluster_ref.cluster_name)),
        "// Deploy it to the cluster's resource group: az deployment group create -g {} -f <this file>".format(
            _comment(cluster_ref.resource_group or "<resource group>")),
    ]
    if prepared.secrets:
        lines.append("// Secrets are not exported: give each @secure() parameter when you deploy.")
    for secret in prepared.secrets:
        lines += ["", "@secure()", "@description({})".format(bicep_string(secret.description)),
                  "param {} string{}".format(secret.name, " = ''" if secret.optional else "")]
    lines += ["", "resource cluster '{}@{}' existing = {{".format(cluster_type, version),
              "  name: {}".format(bicep_string(cluster_ref.cluster_name)), "}", "",
              "resource fluxConfig '{}@{}' = {{".format(RESOURCE_TYPE, API_VERSION),
              "  name: {}".format(bicep_string(config_name)), "  scope: cluster",
              "  properties: {}".format(bicep_value(prepared.props, 1)), "}"]
    return "\n".join(lines) + "\n"

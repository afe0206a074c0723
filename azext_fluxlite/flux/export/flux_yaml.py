"""Export, part 3c: the Flux objects the microsoft.flux extension creates from a configuration.

Takes the `Prepared` configuration of `flux_export.prepare` (writable properties, secrets already
replaced) and writes the source object and one Kustomization per kustomization as YAML documents.
"""
import re
from urllib.parse import urlsplit

import yaml

from azext_fluxlite.flux.format import dependency_order
from azext_fluxlite.flux.export.templates import BLOCK_KEYS, PROTECTED, _comment, _is_ssh

DEFAULT_SECONDS = 600   # API default of every interval and timeout
SOURCE_API = "source.toolkit.fluxcd.io/v1"   # GitRepository, Bucket and (since Flux 2.6) OCIRepository
KUSTOMIZATION_API = "kustomize.toolkit.fluxcd.io/v1"


def go_duration(seconds, hours=True):
    """Seconds as Go's time.Duration prints them: 600 -> '10m0s', 3720 -> '1h2m0s', 30 -> '30s'.

    hours=False writes whole hours as minutes (7200 -> '120m0s'): the source CRDs' `timeout`
    accepts only ms, s and m units.
    """
    hrs, rest = divmod(int(seconds), 3600) if hours else (0, int(seconds))
    minutes, secs = divmod(rest, 60)
    if hrs:
        return "{}h{}m{}s".format(hrs, minutes, secs)
    return "{}m{}s".format(minutes, secs) if minutes else "{}s".format(secs)


def _interval(block, key, hours=True):
    value = block.get(key)
    return go_duration(DEFAULT_SECONDS if value is None else value, hours)


def source_url(url, ssh=False):
    """The URL as the source CRDs require it: a lower-case scheme, and (ssh=True) an scp-style git
    address `user@host:path` written as the ssh:// URL it stands for (`ssh://user@host/path`)."""
    text = str(url or "")
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
    if match:
        return match.group(1).lower() + text[len(match.group(1)):]
    scp = re.match(r"^([^/:@]+@[^/:]+):(.*)$", text) if ssh else None
    if scp:
        return "ssh://{}/{}".format(scp.group(1), scp.group(2).lstrip("/"))
    return url


def _git_keys(block, protected):
    keys = []
    if "sshPrivateKey" in protected or _is_ssh(block.get("url")):
        keys += [("identity", "the SSH private key (PEM)"),
                 ("known_hosts", "gitRepository.sshKnownHosts, decoded" if block.get("sshKnownHosts")
                  else "the git host's public keys")]
    if block.get("httpsUser") or "httpsKey" in protected:
        keys += [("username", "'{}' (gitRepository.httpsUser)".format(_comment(block.get("httpsUser", "")))),
                 ("password", "the HTTPS password or token")]
    if block.get("httpsCACert"):
        keys.append(("ca.crt", "gitRepository.httpsCACert, decoded"))
    return keys


def _what(field, value):
    """Where a secret's key comes from; a secret the service may not use says so."""
    return field + (" (if the configuration uses it)" if getattr(value, "optional", False) else "")


def _blob_keys(block):
    keys = [(k, _what("azureBlob." + w, block[w])) for k, w in (("accountKey", "accountKey"), ("sasKey", "sasToken"))
            if w in block]
    sp = block.get("servicePrincipal") or {}
    names = ["tenantId", "clientId", "clientSecret", "clientCertificate", "clientCertificatePassword"]
    if "clientCertificate" in sp:   # the chain option goes with a certificate only
        names.append("clientCertificateSendChain")
    keys += [(k, _what("azureBlob.servicePrincipal." + k, sp[k])) for k in names if k in sp]
    if (block.get("managedIdentity") or {}).get("clientId"):
        keys.append(("clientId", "'{}' (azureBlob.managedIdentity.clientId)".format(
            _comment(block["managedIdentity"]["clientId"]))))
    return keys


def _git(block, protected, _name):
    ref = block.get("repositoryRef") or {}
    spec = {"url": source_url(block.get("url"), ssh=True),
            "ref": {k: ref[k] for k in ("branch", "tag", "semver", "commit") if ref.get(k)}}
    if block.get("provider"):
        spec["provider"] = str(block["provider"]).lower()
    return "GitRepository", spec, _git_keys(block, protected), []


def _bucket(block, protected, _name):
    parts = urlsplit(str(block.get("url") or ""))
    spec = {"provider": "generic", "bucketName": block.get("bucketName"),
            "endpoint": parts.netloc + parts.path.rstrip("/") if parts.netloc else block.get("url"),
            "insecure": bool(block.get("insecure", True))}   # the API's default is insecure
    keys = [(k, w) for k, w, given in (("accesskey", "bucket.accessKey", block.get("accessKey")),
                                       ("secretkey", "the secret access key", "bucketSecretKey" in protected)) if given]
    return "Bucket", spec, keys, []


def _azure_blob(block, _protected, _name):
    spec = {"provider": "azure", "bucketName": block.get("containerName"), "endpoint": block.get("url")}
    return "Bucket", spec, _blob_keys(block), []


def _oci(block, _protected, name):
    ref = block.get("repositoryRef") or {}
    spec = {"url": source_url(block.get("url")),
            "ref": {k: ref[k] for k in ("tag", "semver", "digest") if ref.get(k)} or {"tag": "latest"},
            "layerSelector": block.get("layerSelector"), "insecure": block.get("insecure") or None,
            "provider": "azure" if block.get("useWorkloadIdentity") else None,
            "serviceAccountName": block.get("serviceAccountName")}
    others = []
    tls = block.get("tlsConfig") or {}
    if tls:
        spec["certSecretRef"] = {"name": name + "-tls"}
        others.append((name + "-tls", [(k, _what("ociRepository.tlsConfig." + w, tls[w])) for k, w in (
            ("tls.crt", "clientCertificate"), ("tls.key", "privateKey"), ("ca.crt", "caCertificate")) if w in tls]))
    verify = block.get("verify") or {}
    if verify:
        spec["verify"] = {"provider": verify.get("provider") or "cosign"}
        if verify.get("verificationConfig"):
            spec["verify"]["secretRef"] = {"name": name + "-verify"}
            others.append((name + "-verify", [(k, "ociRepository.verify.verificationConfig")
                                              for k in verify["verificationConfig"]]))
        if verify.get("matchOidcIdentity"):
            spec["verify"]["matchOIDCIdentity"] = [{k: i[k] for k in ("issuer", "subject") if k in i}
                                                   for i in verify["matchOidcIdentity"]]
    return "OCIRepository", spec, [], others


_SOURCES = {"GitRepository": _git, "Bucket": _bucket, "AzureBlob": _azure_blob, "OCIRepository": _oci}


def _source(kind, block, protected, name):
    """(Flux kind, spec, [(secret name, [(key, what)])]) of the source."""
    flux_kind, spec, keys, secrets = _SOURCES[kind](block, protected, name)
    spec = dict({"interval": _interval(block, "syncIntervalInSeconds"),
                 "timeout": _interval(block, "timeoutInSeconds", hours=False)}, **spec)
    if block.get("localAuthRef"):
        spec["secretRef"] = {"name": block["localAuthRef"]}
    elif keys:
        spec["secretRef"] = {"name": name + "-auth"}
        secrets.insert(0, (name + "-auth", keys))
    return flux_kind, {k: v for k, v in spec.items() if v not in (None, {})}, secrets


def _kustomization(config_name, namespace, source_kind, kname, body, suspend):
    spec = {"interval": _interval(body, "syncIntervalInSeconds"), "timeout": _interval(body, "timeoutInSeconds")}
    if body.get("retryIntervalInSeconds") is not None:
        spec["retryInterval"] = go_duration(body["retryIntervalInSeconds"])
    spec.update(path=body.get("path") or "./", prune=bool(body.get("prune", False)),
                force=bool(body.get("force", False)), wait=bool(body.get("wait", True)),
                sourceRef={"kind": source_kind, "name": config_name})
    if body.get("dependsOn"):
        spec["dependsOn"] = [{"name": "{}-{}".format(config_name, d)} for d in body["dependsOn"]]
    post = body.get("postBuild") or {}
    if post.get("substitute") or post.get("substituteFrom"):
        spec["postBuild"] = {k: post[k] for k in ("substitute", "substituteFrom") if post.get(k)}
    if suspend:
        spec["suspend"] = True
    return {"apiVersion": KUSTOMIZATION_API, "kind": "Kustomization",
            "metadata": {"name": "{}-{}".format(config_name, kname), "namespace": namespace}, "spec": spec}


def flux_yaml(prepared, config_name):
    props = prepared.props
    namespace = props.get("namespace") or "default"
    kind = prepared.kind
    block = props.get(BLOCK_KEYS[kind], {})
    protected = props.get(PROTECTED) or {}
    flux_kind, spec, secrets = _source(kind, block, protected, config_name)
    if props.get("suspend"):
        spec["suspend"] = True
    header = ["# Flux objects microsoft.flux creates for flux configuration '{}' (namespace '{}', scope '{}'),".format(
        _comment(config_name), _comment(namespace), _comment(props.get("scope") or "cluster")),
        "# exported by fluxlite. Secret values are never exported."]
    for secret_name, keys in secrets:
        header.append("# Secret '{}' in namespace '{}' must hold the keys:".format(secret_name, _comment(namespace)))
        header += ["#   {}: {}".format(_comment(k), _comment(what)) for k, what in keys]
    docs = [{"apiVersion": SOURCE_API, "kind": flux_kind,
             "metadata": {"name": config_name, "namespace": namespace}, "spec": spec}]
    kustomizations = props.get("kustomizations") or {}
    docs += [_kustomization(config_name, namespace, flux_kind, k, kustomizations[k] or {}, props.get("suspend"))
             for k in dependency_order(kustomizations)]
    text = "\n".join(header) + "\n"
    return text + "---\n".join(yaml.safe_dump(d, sort_keys=False, default_flow_style=False, allow_unicode=True)
                               for d in docs)

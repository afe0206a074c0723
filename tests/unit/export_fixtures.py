"""Inputs of the export tests: a `flux create` body per auth kind, GET answers, and the checked export.

`export(body, fmt)` is the one way the export tests produce an export: it runs `export_text` and
validates the result against the official schemas (Flux 2.6 CRDs for flux, the ARM schema for
arm), so every export a test looks at is also one the cluster or ARM would accept.
"""
from azext_fluxlite.core.cluster import ClusterRef
from azext_fluxlite.flux.operations import build_create_request
from azext_fluxlite.flux.export.templates import export_text, RESOURCE_TYPE
from azext_fluxlite.flux.kustomizations import parse_kustomization

from tests.export_schemas import arm_resources, flux_objects

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
# Real certificates and keys (not secrets of anyone); values that must never reach an export are marked.
CA = kf.b64(kf.cert_pem())
CLIENT_CERT = kf.b64(kf.cert_pem("client", "rsa"))
CLIENT_KEY = kf.b64(kf.pem("rsa"))
SP_CERT = kf.b64(kf.cert_pem("sp", "rsa"))
SSH_KEY = kf.b64(kf.pem("ed25519", "openssh"))
KNOWN_HOSTS = kf.b64(kf.known_hosts_line("github.com", "ed25519"))
RAW_SECRETS = ("p@ss-HTTPS-7731", "BUCKET-secret-9921", "CERT-pass-5512", "ACCOUNT-key-3318", "SP-secret-6604",
               "SAS-sig-8812")


def export(body, fmt, name="cfg", cluster=CLUSTER):
    """export_text, checked against the official schema of its format."""
    text = export_text(body, fmt, name, cluster)
    if fmt.lower() == "flux":
        flux_objects(text)
    elif fmt.lower() == "arm":
        arm_resources(text)
    return text


def create_body(*kustomizations, **args):
    """The PUT body `flux create` would send for these CLI values (-k groups as strings)."""
    args.setdefault("name", "cfg")
    if kustomizations:
        args["kustomization"] = [parse_kustomization(k.split()) for k in kustomizations]
    return build_create_request(args)


def git_https():
    return create_body("name=infra path=./infrastructure prune=true",
                       "name=apps path=./apps/staging prune=true dependsOn=infra interval=1h2m retry_interval=30s",
                       url="https://github.com/x/y", tag="v1", https_user="u", https_key="p@ss-HTTPS-7731",
                       https_ca_cert=CA, timeout="3m", sync_interval="2m", namespace="flux-ns",
                       scope="namespace", suspend=True)


def git_ssh():
    return create_body(url="ssh://git@github.com/org/repo", branch="main", commit="0ba6f0d3",
                       ssh_private_key=SSH_KEY, known_hosts=KNOWN_HOSTS)


def bucket():
    return create_body("name=apps path=./apps", kind="bucket", url="https://s3.amazonaws.com", bucket_name="b1",
                       bucket_access_key="AKIAEXAMPLE", bucket_secret_key="BUCKET-secret-9921", sync_interval="1m")


def azblob_sp_cert():
    return create_body(kind="azblob", url="https://acct.blob.core.windows.net", container_name="cont",
                       sp_client_id=CID, sp_tenant_id=TID, sp_client_cert=SP_CERT,
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
    return create_body(kind="oci", url="oci://ghcr.io/org/repo", semver=">=1.0.0 <2.0.0",
                       oci_media_type="application/vnd.cncf.flux.content.v1.tar+gzip", oci_operation="copy",
                       tls_ca_certificate=CA, tls_client_certificate=CLIENT_CERT, tls_private_key=CLIENT_KEY,
                       verification_provider="cosign", verification_config=["cosign.pub=BASE64KEY"],
                       match_oidc_identity=['{"issuer":"iss","subject":"sub"}'], use_workload_identity=True,
                       service_account_name="sa")


BODIES = [git_https, git_ssh, bucket, azblob_sp_cert, azblob_account_key, azblob_sp_secret, azblob_sas, oci_tls]


def wire(props, name="cfg"):
    """A GET response around `props`, with the read-only fields the service adds."""
    full = {"statuses": [{"name": name, "kind": "GitRepository", "complianceState": "Compliant"}],
            "repositoryPublicKey": "", "sourceSyncedCommitId": "main/0ba6f0d3",
            "sourceUpdatedAt": "2026-01-01T00:00:00Z",
            "statusUpdatedAt": "2026-01-01T00:00:00Z", "complianceState": "Compliant", "provisioningState": "Succeeded",
            "errorMessage": "", "configurationProtectedSettings": {}, "bucket": None, "azureBlob": None,
            "ociRepository": None, "waitForReconciliation": None, "reconciliationWaitDuration": None}
    full.update(props)
    cluster = "/subscriptions/{}/resourceGroups/rg1/providers/{}".format(SUB, SCOPE)
    return {"id": cluster + "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/" + name,
            "name": name, "type": RESOURCE_TYPE, "systemData": {"createdAt": "2026-01-01T00:00:00Z"},
            "properties": full}

"""Arguments of `az k8s-configuration flux ...`: the originals' options, aliases and defaults."""
# pylint: disable=line-too-long,too-many-statements
from azure.cli.core.commands.parameters import get_enum_type, get_three_state_flag

from azext_fluxlite.core.cluster import FLUX_CLUSTER_TYPES
from azext_fluxlite.flux.kustomizations import KUSTOMIZATION_HELP, KustomizationAddAction

SECRET_HINT = " To keep it off the command line, pass @FILE to read it from a file or - to read it from standard input."
GIT_REF = "Git Repo Ref"
GIT_OCI_REF = "Git Repo Ref / OCI Repo Ref"
GIT_AUTH = "Git Auth"
BUCKET_AUTH = "Bucket Auth"
BLOB_AUTH = "Azure Blob Auth"
OCI_REF = "OCI Repo Ref"
OCI_AUTH = "OCI Repository Auth"
DEPLOYED_OBJECT_KINDS = ["GitRepository", "Bucket", "AzureBlob", "OCIRepository", "HelmRepository",
                         "HelmChart", "HelmRelease", "Kustomization"]


def load_flux_arguments(loader):
    from azext_fluxlite.flux.v1.params import load_v1_arguments
    load_v1_arguments(loader)
    with loader.argument_context("k8s-configuration flux") as c:
        c.argument("cluster_name", options_list=["--cluster-name", "-c"], help="Name of the Kubernetes cluster.")
        c.argument("cluster_type", options_list=["--cluster-type", "-t"], arg_type=get_enum_type(FLUX_CLUSTER_TYPES),
                   help="Type of the cluster: Arc-enabled (connectedClusters), AKS (managedClusters) or provisioned (provisionedClusters).")
        c.argument("cluster_resource_provider", options_list=["--cluster-resource-provider", "--cluster-rp"],
                   help="Resource provider of the cluster, required for provisionedClusters (microsoft.hybridcontainerservice).")
        c.argument("name", options_list=["--name", "-n"], help="Name of the flux configuration.")
        c.argument("kind", arg_type=get_enum_type(["git", "bucket", "azblob", "oci"]),
                   help="Source kind to reconcile (default on create: git).")
        c.argument("url", options_list=["--url", "-u"],
                   help="URL of the source: git http(s)://, ssh:// or git@; bucket and azblob http(s)://; oci oci://.")
        c.argument("scope", options_list=["--scope", "-s"], arg_type=get_enum_type(["namespace", "cluster"]),
                   help="Whether the configuration's objects are applied at cluster or namespace scope. Cannot be changed later.")
        c.argument("namespace", options_list=["--namespace", "--ns"],
                   help="Namespace to deploy the configuration to (a Kubernetes namespace name). Cannot be changed later.")
        c.argument("timeout", help="Maximum time to reconcile the source before timing out: a Go duration (1h2m5s, 90s) or seconds.")
        c.argument("sync_interval", options_list=["--interval", "--sync-interval"],
                   help="Time between reconciliations of the source on the cluster: a Go duration (10m) or seconds.")
        c.argument("branch", arg_group=GIT_REF, help="Branch within the git source to reconcile with the cluster.")
        c.argument("tag", arg_group=GIT_OCI_REF, help="Tag within the git or OCI source to reconcile with the cluster.")
        c.argument("semver", arg_group=GIT_OCI_REF, help="Semver range within the git or OCI source to reconcile with the cluster, e.g. '>=1.0.0 <2.0.0'.")
        c.argument("commit", arg_group=GIT_REF, help="Commit within the git source to reconcile with the cluster.")
        c.argument("ssh_private_key", arg_group=GIT_AUTH,
                   help="Base64-encoded private ssh key (PEM or OpenSSH, unencrypted) for private repository sync." + SECRET_HINT)
        c.argument("ssh_private_key_file", arg_group=GIT_AUTH, help="File path to a private ssh key for private repository sync.")
        c.argument("https_user", arg_group=GIT_AUTH, help="HTTPS username for private repository sync.")
        c.argument("https_key", arg_group=GIT_AUTH, help="HTTPS token or password for private repository sync." + SECRET_HINT)
        c.argument("https_ca_cert", arg_group=GIT_AUTH, help="Base64-encoded CA certificate (PEM) for TLS communication with a private repository.")
        c.argument("https_ca_cert_file", arg_group=GIT_AUTH, help="File path to a CA certificate (PEM) for TLS communication with a private repository.")
        c.argument("known_hosts", arg_group=GIT_AUTH, help="Base64-encoded known_hosts data for private repository sync over ssh.")
        c.argument("known_hosts_file", arg_group=GIT_AUTH, help="File path to known_hosts contents for private repository sync over ssh.")
        c.argument("provider", arg_group=GIT_AUTH, arg_type=get_enum_type(["generic", "azure"]),
                   help="Authentication provider; 'azure' authenticates to Azure DevOps repositories with a managed identity.")
        c.argument("local_auth_ref", options_list=["--local-auth-ref", "--local-ref"], arg_group="Auth",
                   help="Name of a Kubernetes secret in the configuration's namespace holding the source's credentials.")
        c.argument("bucket_name", help="Name of the S3-compatible bucket to reconcile.")
        c.argument("bucket_access_key", arg_group=BUCKET_AUTH, help="Access key ID for the bucket.")
        c.argument("bucket_secret_key", arg_group=BUCKET_AUTH, help="Secret access key for the bucket." + SECRET_HINT)
        c.argument("bucket_insecure", arg_type=get_three_state_flag(), help="Communicate with the bucket over plain http.")
        c.argument("container_name", help="Name of the Azure Blob Storage container to reconcile.")
        c.argument("sp_client_id", options_list=["--sp-client-id", "--service-principal-client-id"], arg_group=BLOB_AUTH,
                   help="Client ID of the service principal for Azure Blob authentication.")
        c.argument("sp_tenant_id", options_list=["--sp-tenant-id", "--service-principal-tenant-id"], arg_group=BLOB_AUTH,
                   help="Tenant ID of the service principal for Azure Blob authentication.")
        c.argument("sp_client_secret", options_list=["--sp-client-secret", "--service-principal-client-secret"], arg_group=BLOB_AUTH,
                   help="Client secret of the service principal." + SECRET_HINT)
        c.argument("sp_client_cert", options_list=["--sp-client-cert", "--service-principal-client-certificate"], arg_group=BLOB_AUTH,
                   help="Base64-encoded client certificate of the service principal.")
        c.argument("sp_client_cert_password", options_list=["--sp-cert-password", "--service-principal-client-certificate-password"],
                   arg_group=BLOB_AUTH, help="Password of the service principal's client certificate." + SECRET_HINT)
        c.argument("sp_client_cert_send_chain", options_list=["--sp-cert-send-chain", "--service-principal-client-certificate-send-chain"],
                   arg_group=BLOB_AUTH, arg_type=get_three_state_flag(),
                   help="Send the certificate chain (x5c header) when authenticating with the client certificate.")
        c.argument("account_key", arg_group=BLOB_AUTH, help="Azure Storage account key." + SECRET_HINT)
        c.argument("sas_token", arg_group=BLOB_AUTH, help="Azure Blob SAS token." + SECRET_HINT)
        c.argument("mi_client_id", options_list=["--mi-client-id", "--managed-identity-client-id"], arg_group=BLOB_AUTH,
                   help="Client ID of the managed identity for Azure Blob authentication.")
        c.argument("digest", arg_group=OCI_REF, help="Digest of the OCI artifact to reconcile, e.g. sha256:....")
        c.argument("oci_media_type", options_list=["--oci-media-type", "--oci-layer-selector-media-type"], arg_group=OCI_REF,
                   help="Media type of the OCI layer to reconcile.")
        c.argument("oci_operation", options_list=["--oci-operation", "--oci-layer-selector-operation"], arg_group=OCI_REF,
                   arg_type=get_enum_type(["extract", "copy"]),
                   help="'extract' the selected layer (default) or 'copy' the tarball as it is.")
        c.argument("tls_ca_certificate", arg_group=OCI_AUTH, help="Base64-encoded CA certificate for the OCI registry.")
        c.argument("tls_client_certificate", arg_group=OCI_AUTH, help="Base64-encoded client certificate for the OCI registry (with --tls-private-key).")
        c.argument("tls_private_key", arg_group=OCI_AUTH, help="Base64-encoded private key of the client certificate." + SECRET_HINT)
        c.argument("service_account_name", arg_group=OCI_AUTH, help="Kubernetes service account used to access the OCI repository.")
        c.argument("use_workload_identity", arg_group=OCI_AUTH, arg_type=get_three_state_flag(),
                   help="Use workload identity to authenticate with the OCI repository.")
        c.argument("oci_insecure", arg_type=get_three_state_flag(), help="Allow connecting to an insecure (plain http) OCI registry.")
        c.argument("verification_provider", arg_group=OCI_AUTH, help="Provider used to verify OCI artifacts, e.g. cosign.")
        c.argument("match_oidc_identity", arg_group=OCI_AUTH, nargs="+",
                   help="OIDC identities to match when verifying OCI artifacts: JSON objects with 'issuer' and 'subject'.")
        c.argument("verification_config", arg_group=OCI_AUTH, nargs="+",
                   help="Trusted public keys for OCI verification as KEY=VALUE pairs, e.g. cosign.pub=<base64 key>.")
        c.argument("suspend", arg_type=get_three_state_flag(), help="Suspend the reconciliation of the source and kustomizations.")
        c.argument("kustomization", options_list=["--kustomization", "-k"], nargs="+", action=KustomizationAddAction,
                   help=KUSTOMIZATION_HELP)
        c.argument("yes", options_list=["--yes", "-y"], action="store_true", help="Do not prompt for confirmation.")

    with loader.argument_context("k8s-configuration flux delete") as c:
        c.argument("force", arg_type=get_three_state_flag(),
                   help="Remove the configuration from Azure at once, without waiting for the cluster to clean up.")

    with loader.argument_context("k8s-configuration flux kustomization") as c:
        c.argument("kustomization_name", options_list=["--kustomization-name", "-k"],
                   help="Name of the kustomization to target.")
        c.argument("path", help="Path within the source to reconcile with the cluster.")
        c.argument("dependencies", options_list=["--depends", "--dependencies", "--depends-on"],
                   help="Kustomizations this one depends on: a comma-separated list (infra,apps) or a JSON list.")
        c.argument("timeout", help="Maximum time to reconcile the kustomization before timing out: a Go duration or seconds.")
        c.argument("sync_interval", options_list=["--interval", "--sync-interval"],
                   help="Time between reconciliations of the kustomization on the cluster: a Go duration or seconds.")
        c.argument("retry_interval", help="Time between retries after a failed reconciliation (defaults to --interval).")
        c.argument("prune", arg_type=get_three_state_flag(), help="Garbage collect the objects this kustomization deployed when they leave the source.")
        c.argument("force", arg_type=get_three_state_flag(), help="Re-create objects that cannot be updated in place (e.g. jobs).")
        c.argument("disable_health_check", arg_type=get_three_state_flag(),
                   help="Do not wait for the applied objects to become healthy (sets wait=false).")
        c.argument("substitute", nargs="+", arg_group="Post Build",
                   help="Variables to substitute in the built manifests, as VAR=value pairs (cluster_env=prod).")
        c.argument("substitute_from", nargs="+", arg_group="Post Build",
                   help="ConfigMaps or Secrets holding variables to substitute: ConfigMap/NAME or "
                        "Secret/NAME, with ':optional' when it may be missing.")

    with loader.argument_context("k8s-configuration flux build") as c:
        c.argument("source_dir", options_list=["--source-dir", "-d"],
                   help="Local checkout of the repository (or the directory a bucket, container or OCI artifact holds).")
        c.argument("name", options_list=["--name", "-n"],
                   help="Name of the flux configuration: with -g, -c and -t its kustomizations and namespace are "
                        "built; with -k it names the configuration's own source (what sourceRefs may point at).")
        c.argument("namespace", options_list=["--namespace", "--ns"],
                   help="With -k: namespace of the configuration, given to objects that have none. Default: default.")
        c.argument("cluster_name", options_list=["--cluster-name", "-c"], required=False,
                   help="Name of the Kubernetes cluster (with -n: take the kustomizations of that configuration).")
        c.argument("cluster_type", options_list=["--cluster-type", "-t"], required=False,
                   arg_type=get_enum_type(FLUX_CLUSTER_TYPES), help="Type of the cluster (with -n).")

    with loader.argument_context("k8s-configuration flux status") as c:
        c.argument("show_all", options_list=["--all"], action="store_true",
                   help="List every object each kustomization applied, not only those that are not compliant.")
        c.argument("watch", options_list=["--watch", "-w"], action="store_true",
                   help="Keep refreshing and print what changes, with timestamps, until Ctrl-C or --timeout; "
                        "the exit code is 0 only if the configuration ended Compliant.")
        c.argument("timeout", help="With --watch: stop after this long, a Go duration (10m, 1h) or seconds.")

    with loader.argument_context("k8s-configuration flux deployed-object") as c:
        c.argument("object_name", help="Name of the deployed object.")
        c.argument("object_namespace", help="Namespace of the deployed object.")
        c.argument("object_kind", arg_type=get_enum_type(DEPLOYED_OBJECT_KINDS), help="Kind of the deployed object.")

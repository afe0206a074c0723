"""Source blocks of flux create/update: exact wire bodies (flux-cli.md §5.1, §6) and every rule."""
import io

import pytest
from azext_fluxlite.core.errors import (
    ArgumentUsageError, FileOperationError, InvalidArgumentValueError, MutuallyExclusiveArgumentError,
    RequiredArgumentMissingError, UnrecognizedArgumentError,
)

from azext_fluxlite.flux import source as fs
from azext_fluxlite.flux.source import (
    SOURCE_KINDS, build_source_block, build_source_patch, check_source, check_source_kind, cli_kind_of,
    resolve_source_inputs, source_for_create, source_for_update,
)

try:
    from . import keyfactory as kf
except ImportError:          # tests/unit is not a package: pytest put it on sys.path
    import keyfactory as kf

CID = "11111111-2222-3333-4444-555555555555"
TID = "99999999-8888-7777-6666-555555555555"
DIGEST = "sha256:" + "ab" * 32
SECRET = "Sup3r-S3cret-Value-42"


def create(**values):
    kind = values.pop("kind", "git")
    return source_for_create(kind, values)


def fails(exc, *fragments, **values):
    with pytest.raises(exc) as err:
        create(**values)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message
    return message


# -- kinds -----------------------------------------------------------------------------------
def test_kind_table():
    assert {k: (v.source_kind, v.block_key) for k, v in SOURCE_KINDS.items()} == {
        "git": ("GitRepository", "gitRepository"), "bucket": ("Bucket", "bucket"),
        "azblob": ("AzureBlob", "azureBlob"), "oci": ("OCIRepository", "ociRepository")}
    assert check_source_kind(None) is None
    assert check_source_kind("OCI") == "oci"
    with pytest.raises(InvalidArgumentValueError, match="--kind must be git, bucket, azblob or oci"):
        check_source_kind("helm")
    assert cli_kind_of("AzureBlob") == "azblob" and cli_kind_of(None) == "git"
    with pytest.raises(InvalidArgumentValueError, match="'HelmRepository'"):
        cli_kind_of("HelmRepository")


# -- create bodies (§5.1) --------------------------------------------------------------------
def test_git_create_reference_example():
    ca = kf.b64(kf.cert_pem())
    block, protected = create(url="https://github.com/x/y", tag="v1", https_user="u", https_key="p@ss",
                              https_ca_cert=ca, timeout="3m", sync_interval="2m", provider="Azure",
                              local_auth_ref="mysecret")
    assert block == {"url": "https://github.com/x/y", "timeoutInSeconds": 180, "syncIntervalInSeconds": 120,
                     "repositoryRef": {"tag": "v1"}, "httpsUser": "u", "httpsCACert": ca,
                     "localAuthRef": "mysecret", "provider": "azure"}
    assert list(block) == ["url", "timeoutInSeconds", "syncIntervalInSeconds", "repositoryRef", "httpsUser",
                           "httpsCACert", "localAuthRef", "provider"]
    assert protected == {"httpsKey": "cEBzcw=="}


def test_git_ssh_create():
    key = kf.pem("ed25519", "openssh")
    hosts = kf.known_hosts_line("github.com", "ed25519")
    block, protected = create(url="git@github.com:org/repo.git", branch="main", ssh_private_key=kf.b64(key),
                              known_hosts=kf.b64(hosts))
    assert block == {"url": "git@github.com:org/repo.git", "repositoryRef": {"branch": "main"},
                     "sshKnownHosts": kf.b64(hosts)}
    assert protected == {"sshPrivateKey": kf.b64(key)}


def test_git_files_are_base64_encoded(tmp_path):
    key, hosts, ca = tmp_path / "id", tmp_path / "known_hosts", tmp_path / "ca.pem"
    key.write_bytes(kf.pem("rsa", "traditional"))
    hosts.write_text("\n" + kf.known_hosts_line("github.com", "rsa") + "\n\n")
    ca.write_bytes(kf.cert_pem() + b"\n")
    block, protected = create(url="ssh://git@github.com/org/repo", commit="abc123", branch="main",
                              ssh_private_key_file=str(key), known_hosts_file=str(hosts))
    assert protected["sshPrivateKey"] == kf.b64(kf.pem("rsa", "traditional"))        # not stripped
    assert block["sshKnownHosts"] == kf.b64(kf.known_hosts_line("github.com", "rsa"))  # stripped
    assert block["repositoryRef"] == {"branch": "main", "commit": "abc123"}
    block, _ = create(url="https://h/r", branch="main", https_ca_cert_file=str(ca))
    assert block["httpsCACert"] == kf.b64(kf.cert_pem().strip())


def test_raw_material_given_as_value_is_encoded():
    # `--ssh-private-key @id_ed25519` is expanded by az core into the raw PEM text.
    key = kf.pem("ed25519", "openssh").decode().rstrip("\n")
    hosts = kf.known_hosts_line("github.com", "ed25519")
    block, protected = create(url="ssh://git@h/r", branch="main", ssh_private_key=key, known_hosts=hosts)
    assert protected["sshPrivateKey"] == kf.b64(key)
    assert block["sshKnownHosts"] == kf.b64(hosts)


def test_secret_from_stdin_and_at_file(tmp_path):
    token = tmp_path / "pat"
    token.write_text(SECRET + "\n")
    _, protected = create(url="https://h/r", branch="main", https_user="u", https_key="@" + str(token))
    assert protected == {"httpsKey": kf.b64(SECRET)}
    _, protected = source_for_create("git", {"url": "https://h/r", "branch": "main", "https_user": "u",
                                             "https_key": "-"}, stdin=io.StringIO(SECRET + "\n"))
    assert protected == {"httpsKey": kf.b64(SECRET)}


def test_missing_key_file_is_a_file_error(tmp_path):
    fails(FileOperationError, "--ssh-private-key-file", "no such file",
          url="ssh://git@h/r", branch="main", ssh_private_key_file=str(tmp_path / "missing"))


def test_bucket_create_reference_example():
    block, protected = create(kind="bucket", url="https://s3.amazonaws.com", bucket_name="b1",
                              bucket_access_key="AK", bucket_secret_key="SK", sync_interval="1m",
                              bucket_insecure=False)
    assert block == {"url": "https://s3.amazonaws.com", "bucketName": "b1", "insecure": False,
                     "syncIntervalInSeconds": 60, "accessKey": "AK"}
    assert list(block)[:3] == ["url", "bucketName", "insecure"]
    assert protected == {"bucketSecretKey": "U0s="}


def test_bucket_insecure_is_always_sent_on_create():
    block, _ = create(kind="bucket", url="http://minio:9000", bucket_name="b", local_auth_ref="creds")
    assert block == {"url": "http://minio:9000", "bucketName": "b", "insecure": False, "localAuthRef": "creds"}
    block, _ = create(kind="bucket", url="http://minio:9000", bucket_name="b", local_auth_ref="creds",
                      bucket_insecure=True)
    assert block["insecure"] is True


@pytest.mark.parametrize("values, expected", [
    ({"account_key": "AKEY"}, {"accountKey": "AKEY"}),
    ({"sas_token": "?sv=2020&sig=x"}, {"sasToken": "?sv=2020&sig=x"}),
    ({"mi_client_id": CID}, {"managedIdentity": {"clientId": CID}}),
    ({"sp_client_id": CID, "sp_tenant_id": TID, "sp_client_secret": "sec"},
     {"servicePrincipal": {"clientId": CID, "tenantId": TID, "clientSecret": "sec",
                           "clientCertificateSendChain": False}}),
    ({"sp_client_id": CID, "sp_tenant_id": TID, "sp_client_cert": "Q0VSVA==", "sp_client_cert_password": "pw",
      "sp_client_cert_send_chain": True},
     {"servicePrincipal": {"clientId": CID, "tenantId": TID, "clientCertificate": "Q0VSVA==",
                           "clientCertificatePassword": "pw", "clientCertificateSendChain": True}}),
    ({"local_auth_ref": "blob-creds"}, {"localAuthRef": "blob-creds"}),
    ({}, {}),
])
def test_azblob_create(values, expected):
    block, protected = create(kind="azblob", url="https://acct.blob.core.windows.net", container_name="cont",
                              sp_client_cert_send_chain=values.pop("sp_client_cert_send_chain", False), **values)
    assert block == dict({"url": "https://acct.blob.core.windows.net", "containerName": "cont"}, **expected)
    assert protected == {}


def test_oci_create_reference_example():
    cert, key, ca = kf.b64(kf.cert_pem("client", "rsa")), kf.b64(kf.pem("rsa")), kf.b64(kf.cert_pem())
    block, protected = create(
        kind="oci", url="oci://ghcr.io/org/repo", tag="v1", digest=DIGEST,
        oci_media_type="application/vnd.cncf.flux.content.v1.tar+gzip", oci_operation="copy",
        tls_ca_certificate=ca, tls_client_certificate=cert, tls_private_key=key, service_account_name="sa",
        use_workload_identity=True, oci_insecure=False, verification_provider="cosign",
        match_oidc_identity=['{"issuer":"iss","subject":"sub"}'], verification_config=["cosign.pub=BASE64KEY"],
        local_auth_ref="regcred", timeout="2m", sync_interval="3m")
    assert block == {
        "url": "oci://ghcr.io/org/repo", "timeoutInSeconds": 120, "syncIntervalInSeconds": 180,
        "repositoryRef": {"tag": "v1", "digest": DIGEST},
        "layerSelector": {"mediaType": "application/vnd.cncf.flux.content.v1.tar+gzip", "operation": "copy"},
        "verify": {"provider": "cosign", "verificationConfig": {"cosign.pub": "BASE64KEY"},
                   "matchOidcIdentity": [{"issuer": "iss", "subject": "sub"}]},
        "insecure": False, "useWorkloadIdentity": True, "serviceAccountName": "sa",
        "tlsConfig": {"clientCertificate": cert, "privateKey": key, "caCertificate": ca},
        "localAuthRef": "regcred"}
    assert protected == {}


def test_minimal_oci_create():
    assert create(kind="oci", url="oci://ghcr.io/x/y") == ({"url": "oci://ghcr.io/x/y"}, {})


def test_verify_values_from_the_action_are_accepted():
    block, _ = create(kind="oci", url="oci://r/x", verification_provider="cosign",
                      match_oidc_identity=[{"issuer": "i", "subject": "s"}], verification_config={"k": "v"})
    assert block["verify"] == {"provider": "cosign", "verificationConfig": {"k": "v"},
                               "matchOidcIdentity": [{"issuer": "i", "subject": "s"}]}


# -- update bodies (§6) ----------------------------------------------------------------------
def update(kind, kind_changed=False, current_block=None, **values):
    return source_for_update(kind, values, kind_changed, current_block=current_block)


def test_update_reference_examples():
    assert update("git", url="https://x/y", branch="dev", https_user="u", https_key="k", timeout="1m",
                  sp_client_cert_send_chain=None, bucket_insecure=None) == (
        {"gitRepository": {"url": "https://x/y", "timeoutInSeconds": 60, "repositoryRef": {"branch": "dev"},
                           "httpsUser": "u"}}, {"httpsKey": "aw=="})
    assert update("git") == ({"gitRepository": {}}, {})
    assert update("bucket", bucket_insecure=False, bucket_secret_key="s") == (
        {"bucket": {"insecure": False}}, {"bucketSecretKey": "cw=="})
    assert update("bucket", bucket_secret_key="s")[0] == {"bucket": {}}     # insecure only when given
    assert update("oci", semver=">=1.0") == ({"ociRepository": {"repositoryRef": {"semver": ">=1.0"}}}, {})


def test_kind_change_sends_other_blocks_as_null():
    # quirk 13.9 fixed: the original sent {} (removing nothing) and left ociRepository out.
    fragment, protected = update("bucket", kind_changed=True, url="https://s3", bucket_name="b",
                                 local_auth_ref="r")
    assert fragment == {"sourceKind": "Bucket", "gitRepository": None,
                        "bucket": {"url": "https://s3", "bucketName": "b", "insecure": False, "localAuthRef": "r"},
                        "azureBlob": None, "ociRepository": None}
    assert protected == {}
    fragment, _ = update("oci", kind_changed=True, url="oci://ghcr.io/x/y", tag="latest")
    assert fragment == {"sourceKind": "OCIRepository", "gitRepository": None, "bucket": None, "azureBlob": None,
                        "ociRepository": {"url": "oci://ghcr.io/x/y", "repositoryRef": {"tag": "latest"}}}
    fragment, _ = update("git", kind_changed=True, url="https://h/r", branch="main")
    assert fragment["ociRepository"] is None and fragment["sourceKind"] == "GitRepository"


def test_kind_change_is_checked_fully():
    with pytest.raises(RequiredArgumentMissingError, match="--kind bucket needs --url and --bucket-name"):
        update("bucket", kind_changed=True, local_auth_ref="r")
    with pytest.raises(RequiredArgumentMissingError, match="Git reference is required"):
        update("git", kind_changed=True, url="https://h/r")


def test_same_kind_update_still_checks_what_the_flags_decide():
    # quirk 10 fixed: the original skipped URL, auth pairing and ref checks here.
    with pytest.raises(InvalidArgumentValueError, match="does not fit --kind git"):
        update("git", url="ftp://h/r")
    with pytest.raises(MutuallyExclusiveArgumentError, match="--branch and --tag cannot be used together"):
        update("git", branch="a", tag="b")
    with pytest.raises(MutuallyExclusiveArgumentError, match="cannot be used with an http"):
        update("git", url="https://h/r", ssh_private_key=kf.b64(kf.pem("ed25519", "openssh")))
    with pytest.raises(MutuallyExclusiveArgumentError, match="need an http"):
        update("git", current_block={"url": "ssh://git@h/r"}, https_user="u", https_key="k")
    update("git", https_user="u")       # the key may already be on the configuration
    update("git", current_block={"url": "https://h/r"}, https_key="k")
    with pytest.raises(MutuallyExclusiveArgumentError, match="--account-key and --sas-token"):
        update("azblob", account_key="QUJD", sas_token="x")
    update("azblob", sp_client_cert_password="pw")


def test_secret_files_on_update(tmp_path):
    path = tmp_path / "secret"
    path.write_text(SECRET)
    assert update("bucket", bucket_secret_key="@" + str(path))[1] == {"bucketSecretKey": kf.b64(SECRET)}


# -- rules -----------------------------------------------------------------------------------
def test_options_of_other_kinds_are_named_sorted_with_real_spelling():
    message = fails(UnrecognizedArgumentError, url="https://h/r", branch="m", sp_client_cert_password="x",
                    bucket_name="b")
    assert message.startswith("--bucket-name and --sp-cert-password cannot be used with --kind git.")
    assert "Options for --kind git: --branch, --commit, --https-ca-cert," in message
    message = fails(UnrecognizedArgumentError, kind="azblob", url="https://a", container_name="cont",
                    branch="main")
    assert "--sp-cert-password, --sp-cert-send-chain" in message
    # unset switches (False) and None do not count
    create(url="https://h/r", branch="m", bucket_insecure=False, sp_client_cert_send_chain=False)


@pytest.mark.parametrize("kind, values, missing", [
    ("git", {"branch": "m"}, "--kind git needs --url"),
    ("bucket", {"url": "https://s3", "local_auth_ref": "r"}, "--kind bucket needs --bucket-name"),
    ("azblob", {"url": "https://a"}, "--kind azblob needs --container-name"),
    ("oci", {}, "--kind oci needs --url"),
])
def test_required_per_kind(kind, values, missing):
    fails(RequiredArgumentMissingError, missing, kind=kind, **values)


@pytest.mark.parametrize("refs", [{"branch": "a", "tag": "b"}, {"semver": "1", "commit": "c"},
                                  {"tag": "t", "commit": "c"}, {"branch": "a", "semver": "1", "commit": "c"}])
def test_git_refs_exclusive(refs):
    fails(MutuallyExclusiveArgumentError, "cannot be used together", url="https://h/r", **refs)


def test_git_commit_with_branch_is_allowed_and_one_ref_required():
    assert create(url="https://h/r", branch="main", commit="abc")[0]["repositoryRef"] == {
        "branch": "main", "commit": "abc"}
    fails(RequiredArgumentMissingError, "one of --branch, --tag, --semver, --commit", url="https://h/r")


@pytest.mark.parametrize("kind, url, hint", [
    ("git", "HTTPS://h/r", "'https://h/r'"), ("git", "Ssh://h/r", "'ssh://h/r'"),
    ("git", "GIT@github.com:o/r", "'git@github.com:o/r'"), ("bucket", "HTTP://s3", "'http://s3'"),
    ("oci", "OCI://ghcr.io/x", "'oci://ghcr.io/x'"),
])
def test_an_upper_case_scheme_is_rejected_with_the_lower_case_url(kind, url, hint):
    """Flux's CRDs take only lower-case schemes (GitRepository ^(http|https|ssh)://, OCIRepository ^oci://),
    and the original rejected them; the message says what to type instead."""
    values = {"git": {"branch": "m"}, "bucket": {"bucket_name": "b", "local_auth_ref": "r"}, "oci": {}}[kind]
    message = fails(InvalidArgumentValueError, "--url", "lower-case scheme", "use " + hint, kind=kind, url=url,
                    **values)
    assert message.startswith("--url ")


@pytest.mark.parametrize("kind, url, ok", [
    ("git", "https://h/r", True), ("git", "http://h/r", True), ("git", "ssh://git@h/r", True),
    ("git", "git@github.com:org/repo", True),
    ("git", "ftp://h/r", False), ("git", "oci://h/r", False), ("git", "github.com/org/repo", False),
    ("bucket", "https://s3", True), ("bucket", "ssh://s3", False), ("bucket", "git@h:r", False),
    ("azblob", "https://a.blob.core.windows.net", True), ("azblob", "oci://a", False),
    ("oci", "oci://ghcr.io/x", True), ("oci", "https://ghcr.io/x", False),
])
def test_url_schemes_per_kind(kind, url, ok):
    values = {"git": {"branch": "m"}, "bucket": {"bucket_name": "b", "local_auth_ref": "r"},
              "azblob": {"container_name": "cont"}, "oci": {}}[kind]
    if ok:
        create(kind=kind, url=url, **values)
        return
    expected = {"git": "http://, https://, ssh:// or git@", "bucket": "http:// or https://",
                "azblob": "http:// or https://", "oci": "oci://"}[kind]
    message = fails(InvalidArgumentValueError, "--url", "does not fit --kind " + kind, "must start with " + expected,
                    kind=kind, url=url, **values)
    if kind != "git":       # quirk 13: the original listed the git schemes for every kind
        schemes = message.split("must start with")[1]
        assert "git@" not in schemes and "ssh://" not in schemes


@pytest.mark.parametrize("url, expected", [
    ("https://", "has no host"), ("https:///path", "has no host"), ("https://h/a b", "white space"),
    ("git@github.com", "git@HOST:PATH"), ("https://h:99999/r", "not a valid URL"),
])
def test_malformed_urls(url, expected):
    fails(InvalidArgumentValueError, expected, url=url, branch="m")


def test_password_in_url_is_rejected_and_never_shown():
    message = fails(InvalidArgumentValueError, "must not contain a password", "--https-user and --https-key",
                    url="https://user:" + SECRET + "@h/r", branch="m")
    assert SECRET not in message
    create(url="https://org@dev.azure.com/org/p/_git/r", branch="m")     # a user name alone is fine


def test_git_url_and_auth_pairing():
    key = kf.b64(kf.pem("ed25519", "openssh"))
    fails(MutuallyExclusiveArgumentError, "--ssh-private-key cannot be used with an http(s) URL",
          url="https://h/r", branch="m", ssh_private_key=key)
    fails(MutuallyExclusiveArgumentError, "--known-hosts cannot be used with an http(s) URL",
          url="http://h/r", branch="m", known_hosts=kf.b64(kf.known_hosts_line("h", "ed25519")))
    fails(MutuallyExclusiveArgumentError, "--https-user and --https-key need an http(s) URL",
          url="git@h:r", branch="m", https_user="u", https_key="k")
    fails(MutuallyExclusiveArgumentError, "--https-ca-cert need an http(s) URL",
          url="ssh://git@h/r", branch="m", https_ca_cert=kf.b64(kf.cert_pem()))
    fails(RequiredArgumentMissingError, "--https-user needs --https-key", url="https://h/r", branch="m",
          https_user="u")
    message = fails(RequiredArgumentMissingError, "--https-key needs --https-user", url="https://h/r", branch="m",
                    https_key=SECRET)
    assert SECRET not in message


def test_value_and_file_forms_are_exclusive(tmp_path):
    path = tmp_path / "k"
    path.write_bytes(kf.pem("ed25519", "openssh"))
    fails(MutuallyExclusiveArgumentError, "--ssh-private-key and --ssh-private-key-file cannot be used together",
          url="ssh://git@h/r", branch="m", ssh_private_key=kf.b64(kf.pem("ed25519", "openssh")),
          ssh_private_key_file=str(path))


def test_key_material_is_checked():
    fails(InvalidArgumentValueError, "--ssh-private-key is protected by a passphrase", url="ssh://git@h/r",
          branch="m", ssh_private_key=kf.b64(kf.pem("ecdsa", "openssh", password=b"x")))
    fails(InvalidArgumentValueError, "--ssh-private-key is not valid base64", url="ssh://git@h/r", branch="m",
          ssh_private_key="not*base64")
    fails(InvalidArgumentValueError, "--known-hosts line 1", url="ssh://git@h/r", branch="m",
          known_hosts=kf.b64("github.com ssh-ed25519 AAAA"))
    fails(InvalidArgumentValueError, "--https-ca-cert is not a PEM CA certificate", url="https://h/r", branch="m",
          https_ca_cert="Q0E=")
    fails(InvalidArgumentValueError, "--tls-ca-certificate", kind="oci", url="oci://r/x", tls_ca_certificate="UEs=")


def test_provider_is_checked_and_lowercased():
    assert create(url="https://h/r", branch="m", provider="GENERIC")[0]["provider"] == "generic"
    fails(InvalidArgumentValueError, "--provider must be generic or azure", url="https://h/r", branch="m",
          provider="github")


def test_durations_and_empty_values():
    fails(InvalidArgumentValueError, "--interval '5ms' is not a valid duration", url="https://h/r", branch="m",
          sync_interval="5ms")
    fails(InvalidArgumentValueError, "--branch is empty", url="https://h/r", branch=" ")
    fails(InvalidArgumentValueError, "--local-auth-ref 'My_Secret'", url="https://h/r", branch="m",
          local_auth_ref="My_Secret")


def test_bucket_auth():
    fails(RequiredArgumentMissingError, "--kind bucket needs credentials", "--local-auth-ref",
          kind="bucket", url="https://s3", bucket_name="b")
    fails(RequiredArgumentMissingError, "go together", kind="bucket", url="https://s3", bucket_name="b",
          bucket_access_key="AK")
    message = fails(MutuallyExclusiveArgumentError, "--bucket-secret-key and --local-auth-ref", kind="bucket",
                    url="https://s3", bucket_name="b", bucket_secret_key=SECRET, local_auth_ref="r")
    assert SECRET not in message


AZ = dict(kind="azblob", url="https://a.blob.core.windows.net", container_name="cont")


def test_azblob_one_auth_method():
    message = fails(MutuallyExclusiveArgumentError, "not service principal (--sp-*) and --account-key",
                    sp_client_id=CID, sp_tenant_id=TID, sp_client_secret=SECRET, account_key="QUJD", **AZ)
    assert SECRET not in message
    fails(MutuallyExclusiveArgumentError, "--mi-client-id and --local-auth-ref", mi_client_id=CID,
          local_auth_ref="r", **AZ)


def test_azblob_service_principal_rules():
    fails(RequiredArgumentMissingError, "also give --sp-tenant-id and --sp-client-secret or --sp-client-cert",
          sp_client_id=CID, **AZ)
    fails(RequiredArgumentMissingError, "also give --sp-client-id", sp_tenant_id=TID, sp_client_secret="s", **AZ)
    fails(MutuallyExclusiveArgumentError, "--sp-client-secret and --sp-client-cert cannot be used together",
          sp_client_id=CID, sp_tenant_id=TID, sp_client_secret="s", sp_client_cert="Q0VSVA==", **AZ)
    fails(RequiredArgumentMissingError, "--sp-cert-password only applies to a certificate",
          sp_client_id=CID, sp_tenant_id=TID, sp_client_secret="s", sp_client_cert_password="pw", **AZ)
    fails(RequiredArgumentMissingError, "--sp-cert-send-chain only applies to a certificate",
          sp_client_cert_send_chain=True, **AZ)
    fails(InvalidArgumentValueError, "--sp-client-id 'cid' is not a client ID", sp_client_id="cid",
          sp_tenant_id=TID, sp_client_secret="s", **AZ)
    fails(InvalidArgumentValueError, "--sp-client-cert is not valid base64", sp_client_id=CID, sp_tenant_id=TID,
          sp_client_cert="###", **AZ)


@pytest.mark.parametrize("name, ok", [("cont", True), ("a1-b2", True), ("$web", True), ("ab", False),
                                      ("Cont", False), ("a--b", False), ("-ab", False), ("a" * 64, False)])
def test_azblob_container_names(name, ok):
    values = dict(AZ, container_name=name)
    if ok:
        create(**values)
    else:
        fails(InvalidArgumentValueError, "--container-name", **values)


OCI = dict(kind="oci", url="oci://ghcr.io/x/y")


def test_oci_rules():
    fails(MutuallyExclusiveArgumentError, "--tag and --semver", tag="v1", semver="1.x", **OCI)
    fails(MutuallyExclusiveArgumentError, "--semver and --digest", semver="1.x", digest=DIGEST, **OCI)
    fails(InvalidArgumentValueError, "--digest 'abc' is not a digest", digest="abc", **OCI)
    fails(InvalidArgumentValueError, "--oci-operation must be extract or copy", oci_operation="move", **OCI)
    fails(InvalidArgumentValueError, "--oci-media-type", oci_media_type="tarball", **OCI)
    fails(RequiredArgumentMissingError, "go together", tls_client_certificate=kf.b64(kf.cert_pem()), **OCI)
    fails(InvalidArgumentValueError, "do not belong together", tls_client_certificate=kf.b64(kf.cert_pem("c", "rsa")),
          tls_private_key=kf.b64(kf.pem("ed25519")), **OCI)
    fails(InvalidArgumentValueError, "--verification-provider must be cosign or notation",
          verification_provider="gpg", **OCI)
    fails(RequiredArgumentMissingError, "need --verification-provider", verification_config=["a=b"], **OCI)
    fails(InvalidArgumentValueError, "--match-oidc-identity must be a JSON object", verification_provider="cosign",
          match_oidc_identity=['{"issuer":"i"}'], **OCI)
    fails(InvalidArgumentValueError, "--verification-config must be KEY=VALUE", verification_provider="cosign",
          verification_config=["novalue"], **OCI)
    fails(InvalidArgumentValueError, "--service-account-name", service_account_name="SA", **OCI)
    assert create(oci_operation="EXTRACT", **OCI)[0]["layerSelector"] == {"operation": "extract"}


def test_bool_options_accept_strings_from_callers():
    assert create(oci_insecure="true", **OCI)[0]["insecure"] is True
    fails(InvalidArgumentValueError, "--oci-insecure must be true or false", oci_insecure="maybe", **OCI)


def test_only_one_option_reads_stdin():
    with pytest.raises(ArgumentUsageError, match="only one option can"):
        source_for_create("azblob", dict(url="https://a", container_name="cont", sas_token="-",
                                         account_key="-"), stdin=io.StringIO("x"))


# -- pure builder and checker used directly --------------------------------------------------
def test_pure_pieces_compose():
    values = resolve_source_inputs({"url": "https://h/r", "branch": "m", "https_user": "u", "https_key": "k",
                                    "ssh_private_key_file": None})
    assert "ssh_private_key_file" not in values
    check_source("git", values, full=True)
    assert build_source_block("git", values, creating=True) == (
        {"url": "https://h/r", "repositoryRef": {"branch": "m"}, "httpsUser": "u"}, {"httpsKey": "aw=="})
    assert build_source_patch("git", values, kind_changed=False)[0] == {
        "gitRepository": {"url": "https://h/r", "repositoryRef": {"branch": "m"}, "httpsUser": "u"}}
    assert fs.URL_SCHEMES["oci"] == ("oci://",)

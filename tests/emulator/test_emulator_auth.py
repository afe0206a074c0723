"""Login-side endpoints: cloud metadata, the managed-identity token endpoint, bearer checks."""
import base64
import json
import time

import requests

from azext_fluxlite.emulator.auth import issue_token
from .emulator_harness import ARC, SUB, flux_path


def _claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_cloud_metadata_has_what_az_cloud_register_reads(emulator):
    res = requests.get(emulator.base + "//metadata/endpoints", params={"api-version": "2022-09-01"},
                       verify=emulator.bundle)
    assert res.status_code == 200
    meta = res.json()
    base = emulator.base + "/"
    assert meta["resourceManager"] == base
    assert meta["authentication"]["loginEndpoint"] == base
    assert meta["authentication"]["audiences"][0] == base
    assert isinstance(meta["suffixes"], dict) and meta["name"]
    # The older api-version (ARM_CLOUD_METADATA_URL) answers a list of clouds.
    old = requests.get(emulator.base + "/metadata/endpoints", params={"api-version": "2019-05-01"},
                       verify=emulator.bundle).json()
    assert isinstance(old, list) and old[0]["resourceManager"] == base


def test_token_endpoint_needs_the_identity_header(emulator):
    url = emulator.base + "/msi/token"
    params = {"api-version": "2019-08-01", "resource": emulator.base + "/"}
    assert requests.get(url, params=params, verify=emulator.bundle).status_code == 401
    assert requests.get(url, params=params, headers={"X-IDENTITY-HEADER": "wrong"},
                        verify=emulator.bundle).status_code == 401
    res = requests.get(url, params=params, headers={"X-IDENTITY-HEADER": emulator.secret}, verify=emulator.bundle)
    body = res.json()
    assert body["token_type"] == "Bearer" and body["resource"] == emulator.base + "/"
    assert int(body["expires_on"]) > time.time() + 3600
    claims = _claims(body["access_token"])        # az decodes the token to find the tenant
    assert claims["tid"] and claims["oid"] and claims["aud"] == emulator.base + "/"


def test_subscriptions_and_tenants_for_az_login(emulator):
    subs = emulator.get("/subscriptions", api="2022-12-01").json()["value"]
    assert [s["subscriptionId"] for s in subs] == [SUB]
    assert subs[0]["state"] == "Enabled"
    assert emulator.get("/subscriptions/" + SUB, api="2022-12-01").json()["displayName"] == "fluxlite emulator"
    tenants = emulator.get("/tenants", api="2022-12-01").json()["value"]
    assert tenants[0]["tenantId"] == subs[0]["tenantId"]
    other = emulator.get("/subscriptions/00000000-0000-0000-0000-000000000001", api="2022-12-01")
    assert other.status_code == 404 and other.json()["error"]["code"] == "SubscriptionNotFound"


def test_provider_registration_reads_registered(emulator):
    res = emulator.get("/subscriptions/{}/providers/Microsoft.KubernetesConfiguration".format(SUB), api="2022-09-01")
    body = res.json()
    assert body["registrationState"] == "Registered"
    types = {t["resourceType"]: t["apiVersions"] for t in body["resourceTypes"]}
    assert "2025-04-01" in types["fluxConfigurations"] and "2025-03-01" in types["extensions"]


def test_arm_paths_refuse_requests_without_a_valid_token(emulator):
    url = emulator.base + flux_path()
    params = {"api-version": "2025-04-01"}
    missing = requests.get(url, params=params, verify=emulator.bundle)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "AuthenticationFailed"
    assert "Retry-After" not in missing.headers
    now = int(time.time())
    forged = issue_token("not-the-emulator-secret", {"tid": "t", "oid": "o", "exp": now + 3600})
    res = requests.get(url, params=params, headers={"Authorization": "Bearer " + forged}, verify=emulator.bundle)
    assert res.status_code == 401 and res.json()["error"]["code"] == "InvalidAuthenticationToken"
    expired = issue_token(emulator.signing_key, {"tid": "t", "oid": "o", "exp": now - 10})
    res = requests.get(url, params=params, headers={"Authorization": "Bearer " + expired}, verify=emulator.bundle)
    assert res.status_code == 401 and res.json()["error"]["code"] == "ExpiredAuthenticationToken"
    garbage = requests.get(url, params=params, headers={"Authorization": "Bearer abc"}, verify=emulator.bundle)
    assert garbage.status_code == 401


def test_tokens_survive_a_restart(emulator):
    emulator.get(ARC, api="2021-10-01").raise_for_status()
    token = emulator.session.headers["Authorization"]
    emulator.restart()
    emulator.session.headers["Authorization"] = token
    assert emulator.get(ARC, api="2021-10-01").status_code == 200


def test_api_version_is_required(emulator):
    res = emulator.get(flux_path(), api=None)
    assert res.status_code == 400
    assert res.json()["error"]["code"] == "MissingApiVersionParameter"


def test_control_endpoints_need_the_secret(emulator):
    assert requests.get(emulator.base + "/_emulator/requests", verify=emulator.bundle).status_code == 401
    assert requests.get(emulator.base + "/_emulator/health", verify=emulator.bundle).json()["status"] == "ok"
    info = emulator.control("GET", "info").json()
    assert info["subscriptionId"] == SUB and ARC in info["clusters"]


def test_tls_certificate_covers_localhost_and_127_0_0_1(emulator):
    for host in ("127.0.0.1", "localhost"):
        res = requests.get("https://{}:{}/_emulator/health".format(host, emulator.port), verify=emulator.bundle)
        assert res.status_code == 200

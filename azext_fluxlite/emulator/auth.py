"""Login: cloud metadata, the managed-identity token endpoint, tokens, subscriptions and tenants.

`az cloud register --endpoint-resource-manager <emulator>` reads `/metadata/endpoints`;
`az login --identity` (msal's App Service flavour, selected by IDENTITY_ENDPOINT +
IDENTITY_HEADER) gets a token from `/msi/token`, decodes it without verification to find `tid`,
then lists `/subscriptions`.  Tokens are JWT-shaped (az decodes them) and signed with HMAC-SHA256
under the emulator's signing key (a secret of its own, never printed: the IDENTITY_HEADER that
`start` and `env` print only unlocks the token endpoint), so the emulator can tell its own tokens
from anything else.  Like ARM, it accepts only tokens for its own audience and tenant.
"""
import base64
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

from .responses import ArmError, ok

TOKEN_LIFETIME = 24 * 3600
SYSTEM_IDENTITY_OID = "3c1f7a2e-5d4b-4e6a-9f80-1b2c3d4e5f60"
SYSTEM_IDENTITY_CLIENT_ID = "6e0b9d14-2c7a-4f35-b8e1-0d9a7c3f2b58"
# Audiences ARM accepts besides the emulator's own endpoint (any loopback https URL).
ARM_AUDIENCES = ("https://management.azure.com", "https://management.core.windows.net")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(secret, claims):
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "fluxlite-emulator"}).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = "{}.{}".format(header, payload).encode("ascii")
    signature = _b64(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
    return "{}.{}.{}".format(header, payload, signature)


def verify_token(secret, token, now=None):
    """Return the claims of a token this emulator issued, else raise ArmError 401."""
    parts = token.split(".")
    if len(parts) != 3:
        raise _unauthorized("InvalidAuthenticationToken", "The access token is invalid.")
    signing_input = "{}.{}".format(parts[0], parts[1]).encode("ascii", "replace")
    expected = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    try:
        given = _unb64(parts[2])
        claims = json.loads(_unb64(parts[1]))
    except ValueError:
        raise _unauthorized("InvalidAuthenticationToken", "The access token is invalid.") from None
    if not hmac.compare_digest(expected, given):
        raise _unauthorized("InvalidAuthenticationToken",
                            "The access token was not issued by this fluxlite emulator (signature mismatch). "
                            "Log in again: az fluxlite emulator login.")
    now = time.time() if now is None else now
    if not isinstance(claims, dict) or claims.get("exp", 0) < now:
        raise _unauthorized("ExpiredAuthenticationToken",
                            "The access token expiry UTC time is earlier than current UTC time.")
    return claims


def _arm_audience(aud):
    if not isinstance(aud, str):
        return False
    if aud.rstrip("/").lower() in ARM_AUDIENCES:
        return True
    try:
        parts = urlsplit(aud)
        return parts.scheme == "https" and parts.hostname in _LOOPBACK and parts.path in ("", "/")
    except ValueError:
        return False


def _unauthorized(code, message):
    return ArmError(401, code, message, headers={
        "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", '
                            'error="invalid_token", error_description="{}"'.format(message.replace('"', "'"))})


def check_bearer(signing_key, settings, headers):
    """The claims of a valid ARM token in the Authorization header, else ArmError 401."""
    value = headers.get("Authorization") or ""
    if not value:
        raise _unauthorized("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("AuthenticationFailed",
                            "Authentication failed. The 'Authorization' header is provided in an invalid format.")
    claims = verify_token(signing_key, token.strip())
    if not _arm_audience(claims.get("aud")):
        raise _unauthorized("InvalidAuthenticationTokenAudience",
                            "The access token has been obtained for wrong audience or resource '{}'. It should exactly "
                            "match with one of the allowed audiences: the emulator's endpoint or '{}/'."
                            .format(claims.get("aud"), ARM_AUDIENCES[0]))
    if str(claims.get("tid", "")).lower() != settings.tenant_id.lower():
        raise _unauthorized("InvalidAuthenticationTokenTenant",
                            "The access token is from the wrong issuer 'https://sts.windows.net/{}/'. It must match "
                            "the tenant 'https://sts.windows.net/{}/' associated with this subscription."
                            .format(claims.get("tid"), settings.tenant_id))
    return claims


def principal(claims):
    """(createdBy, createdByType) of systemData for a request made with these claims."""
    claims = claims or {}
    if claims.get("xms_emulator") == "fluxlite" and claims.get("idtyp") == "app":
        return claims.get("appid") or claims.get("oid"), "ManagedIdentity"
    if claims.get("idtyp") == "app":
        return claims.get("appid") or claims.get("oid"), "Application"
    return claims.get("upn") or claims.get("unique_name") or claims.get("oid"), "User"


def metadata_endpoints(base_url, settings, api_version):
    """ARM cloud metadata for `az cloud register --endpoint-resource-manager <base_url>`."""
    host = base_url.split("://", 1)[-1].rstrip("/")
    cloud = {
        "name": settings.cloud_name,
        "portal": base_url,
        "resourceManager": base_url,
        "authentication": {"loginEndpoint": base_url, "audiences": [base_url, base_url.rstrip("/")],
                           "tenant": "common", "identityProvider": "AAD"},
        "media": base_url,
        "graphAudience": base_url,
        "graph": base_url,
        "batch": base_url,
        "sqlManagement": base_url,
        "microsoftGraphResourceId": base_url,
        "appInsightsResourceId": base_url,
        "appInsightsTelemetryChannelResourceId": base_url,
        "attestationResourceId": base_url,
        "synapseAnalyticsResourceId": base_url,
        "logAnalyticsResourceId": base_url,
        "ossrDbmsResourceId": base_url,
        "gallery": base_url,
        "activeDirectoryDataLake": base_url,
        "vmImageAliasDoc": base_url + "metadata/vm-image-aliases",
        "suffixes": {"acrLoginServer": "azurecr.invalid", "keyVaultDns": "vault.invalid",
                     "storage": "core.invalid", "sqlServerHostname": "database.invalid",
                     "azureDataLakeStoreFileSystem": "datalake.invalid",
                     "azureDataLakeAnalyticsCatalogAndJob": "datalake-analytics.invalid"},
        "fluxliteEmulator": {"host": host},
    }
    # Older api-versions (and ARM_CLOUD_METADATA_URL) return the list of all clouds.
    if api_version and api_version < "2022-09-01":
        return [cloud]
    return cloud


def openid_configuration(base_url, tenant):
    """OIDC discovery of the emulator's authority (msal reads it for `az logout` and friends; no user login)."""
    root = "{}{}".format(base_url, tenant)
    return ok({"issuer": "{}/v2.0".format(root), "authorization_endpoint": root + "/oauth2/v2.0/authorize",
               "token_endpoint": root + "/oauth2/v2.0/token", "device_authorization_endpoint":
               root + "/oauth2/v2.0/devicecode", "end_session_endpoint": root + "/oauth2/v2.0/logout",
               "jwks_uri": root + "/discovery/v2.0/keys", "response_types_supported": ["code", "token"],
               "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["HS256"],
               "tenant_region_scope": None, "cloud_instance_name": "fluxlite.invalid"})


def identity_token(req, secret, signing_key, settings):
    """App Service style managed identity endpoint (GET ?api-version=2019-08-01&resource=...)."""
    given = req.headers.get("X-IDENTITY-HEADER") or req.headers.get("Secret") or ""
    if not hmac.compare_digest(given.encode(), secret.encode()):
        raise ArmError(401, "Unauthorized", "X-IDENTITY-HEADER is missing or does not match the emulator's "
                                            "IDENTITY_HEADER; run `eval \"$(az fluxlite emulator env)\"`.")
    resource = req.query.get("resource")
    if not resource:
        raise ArmError(400, "invalid_request", "The 'resource' query parameter is required.")
    now = int(time.time())
    client_id = req.query.get("client_id") or req.query.get("object_id") or req.query.get("mi_res_id")
    oid = req.query.get("object_id") or SYSTEM_IDENTITY_OID
    claims = {
        "aud": resource, "iss": "https://sts.windows.net/{}/".format(settings.tenant_id),
        "iat": now, "nbf": now, "exp": now + TOKEN_LIFETIME,
        "tid": settings.tenant_id, "oid": oid, "sub": oid,
        "appid": client_id or SYSTEM_IDENTITY_CLIENT_ID, "appidacr": "2", "idtyp": "app",
        "ver": "1.0", "xms_emulator": "fluxlite",
    }
    if req.query.get("mi_res_id"):
        claims["xms_mirid"] = req.query["mi_res_id"]
    return ok({"access_token": issue_token(signing_key, claims), "expires_on": str(now + TOKEN_LIFETIME),
               "resource": resource, "token_type": "Bearer", "client_id": claims["appid"]})


def subscription_body(settings):
    sub = settings.subscription_id
    return {
        "id": "/subscriptions/" + sub, "authorizationSource": "RoleBased", "managedByTenants": [],
        "subscriptionId": sub, "tenantId": settings.tenant_id, "displayName": "fluxlite emulator",
        "state": "Enabled",
        "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01",
                                 "spendingLimit": "Off"},
    }


def list_subscriptions(settings):
    return ok({"value": [subscription_body(settings)], "count": {"type": "Total", "value": 1}})


def get_subscription(settings, sub):
    check_subscription(settings, sub)
    return ok(subscription_body(settings))


def list_tenants(settings):
    tid = settings.tenant_id
    return ok({"value": [{"id": "/tenants/" + tid, "tenantId": tid, "countryCode": "US",
                          "displayName": "fluxlite emulator", "domains": ["fluxlite-emulator.invalid"],
                          "tenantCategory": "Home", "defaultDomain": "fluxlite-emulator.invalid",
                          "tenantType": "AAD"}]})


def check_subscription(settings, sub):
    if sub.lower() != settings.subscription_id.lower():
        raise ArmError(404, "SubscriptionNotFound", "The subscription '{}' could not be found.".format(sub))

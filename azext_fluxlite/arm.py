"""The one layer that talks to Azure Resource Manager.

Everything that goes over the wire passes through `ArmClient`: it resolves the cluster's ARM path,
logs in once per command (one credential, each token fetched at most once), builds the official
SDK clients through azure-cli-core (so --debug, the user agent, clouds and retries come for free),
follows long-running operations with fast polling and az's progress indicator, and turns ARM
errors into readable messages.  Bodies go in and come out as plain wire JSON dicts.
"""
import threading
from contextlib import contextmanager

from azure.core.exceptions import HttpResponseError

from ._cluster import ClusterRef, resolve_cluster_rp
from ._errors import translate
from ._polling import BackoffARMPolling

FLUX_API_VERSION = "2025-04-01"
EXTENSION_API_VERSION = "2025-03-01"
EXTENSION_TYPES_API_VERSION = "2023-05-01-preview"


def _raw_json(pipeline_response, _deserialized, _headers):
    response = pipeline_response.http_response
    try:
        return response.json()
    except ValueError:
        return None


class _CachingCredential:
    """Wraps az's credential so that one command never fetches the same token twice.

    Each SDK client has its own bearer-token policy; without this, the flux and extension clients
    of one command would each fetch a token.  azure-core asks `get_token_info` when the credential
    has it, else `get_token`; both are cached here.
    """

    def __init__(self, inner):
        self._inner = inner
        self._tokens = {}
        self._lock = threading.Lock()
        self.fetches = 0

    def _cached(self, key, fetch):
        import time
        with self._lock:
            token = self._tokens.get(key)
            if token is None or token.expires_on - 300 < time.time():
                token = fetch()
                self.fetches += 1
                self._tokens[key] = token
            return token

    def get_token(self, *scopes, **kwargs):
        key = ("token", scopes, kwargs.get("tenant_id"), kwargs.get("claims"))
        return self._cached(key, lambda: self._inner.get_token(*scopes, **kwargs))

    def get_token_info(self, *scopes, options=None):
        opts = dict(options or {})
        key = ("info", scopes, opts.get("tenant_id"), opts.get("claims"))

        def fetch():
            if hasattr(self._inner, "get_token_info"):
                return self._inner.get_token_info(*scopes, options=options)
            from azure.core.credentials import AccessTokenInfo
            token = self._inner.get_token(*scopes, tenant_id=opts.get("tenant_id"), claims=opts.get("claims"))
            return AccessTokenInfo(token.token, token.expires_on)
        return self._cached(key, fetch)


class ArmClient:
    """Per-command access to ARM for Microsoft.KubernetesConfiguration resources."""

    def __init__(self, cli_ctx, subscription_id=None):
        from . import _redaction
        _redaction.install()
        self.cli_ctx = cli_ctx
        self._subscription_hint = subscription_id
        self._credential = None
        self._subscription_id = None
        self._flux_client = None
        self._ext_client = None

    # -- login and clients -------------------------------------------------------------------
    def _login(self):
        if self._credential is None:
            from azure.cli.core._profile import Profile
            subscription = self._subscription_hint or self.cli_ctx.data.get("subscription_id")
            credential, subscription_id, _ = Profile(cli_ctx=self.cli_ctx).get_login_credentials(
                subscription_id=subscription)
            self._credential = _CachingCredential(credential)
            self._subscription_id = subscription_id
        return self._credential, self._subscription_id

    @property
    def subscription_id(self):
        return self._login()[1]

    def _client(self, client_type):
        from azure.cli.core.commands.client_factory import get_mgmt_service_client
        credential, subscription_id = self._login()
        return get_mgmt_service_client(self.cli_ctx, client_type, subscription_id=subscription_id,
                                       credential=credential)

    @property
    def flux(self):
        if self._flux_client is None:
            from azure.mgmt.kubernetesconfiguration.fluxconfigurations import (
                KubernetesConfigurationFluxConfigurationsMgmtClient)
            self._flux_client = self._client(KubernetesConfigurationFluxConfigurationsMgmtClient)
        return self._flux_client

    @property
    def extensions(self):
        if self._ext_client is None:
            from azure.mgmt.kubernetesconfiguration.extensions import KubernetesConfigurationExtensionsMgmtClient
            self._ext_client = self._client(KubernetesConfigurationExtensionsMgmtClient)
        return self._ext_client

    def cluster(self, resource_group, cluster_type, cluster_name, cluster_rp=None):
        rp, ctype = resolve_cluster_rp(cluster_type, cluster_rp)
        return ClusterRef(self.subscription_id, resource_group, rp, ctype, cluster_name)

    # -- dry run ------------------------------------------------------------------------------
    def planned(self, method, path, api_version, body=None, params=None):
        """The request that would be sent, secrets redacted, for --dry-run (nothing is sent)."""
        from urllib.parse import urlencode
        from ._redaction import redact
        query = {"api-version": api_version}
        query.update(params or {})
        request = {"method": method,
                   "url": "{}{}?{}".format(self.cli_ctx.cloud.endpoints.resource_manager.rstrip("/"), path,
                                           urlencode(query))}
        if body is not None:
            request["body"] = redact(body)
        return request

    # -- errors and long-running operations --------------------------------------------------
    @contextmanager
    def _errors(self, what=None, cluster=None):
        try:
            yield
        except HttpResponseError as exc:
            raise translate(exc, what=what, cluster=cluster) from None

    def _finish(self, poller, no_wait, what, cluster):
        if no_wait:
            return None
        from azure.cli.core.commands import LongRunningOperation
        with self._errors(what, cluster):
            return LongRunningOperation(self.cli_ctx, start_msg="", finish_msg="")(poller)

    def _lro_kwargs(self, no_wait):
        return {"polling": False if no_wait else BackoffARMPolling(), "cls": _raw_json}

    # -- fluxConfigurations ------------------------------------------------------------------
    def get_flux(self, cluster, name):
        what = "flux configuration '{}'".format(name)
        with self._errors(what, cluster):
            return self.flux.flux_configurations.get(
                flux_configuration_name=name, cls=_raw_json, **cluster.sdk_args())

    def list_flux(self, cluster):
        with self._errors(None, cluster):
            return [item.as_dict() for item in self.flux.flux_configurations.list(**cluster.sdk_args())]

    def put_flux(self, cluster, name, body, no_wait=False):
        what = "flux configuration '{}'".format(name)
        with self._errors(what, cluster):
            poller = self.flux.flux_configurations.begin_create_or_update(
                flux_configuration_name=name, flux_configuration=body, **self._lro_kwargs(no_wait),
                **cluster.sdk_args())
        return self._finish(poller, no_wait, what, cluster)

    def patch_flux(self, cluster, name, body, no_wait=False):
        what = "flux configuration '{}'".format(name)
        with self._errors(what, cluster):
            poller = self.flux.flux_configurations.begin_update(
                flux_configuration_name=name, flux_configuration_patch=body, **self._lro_kwargs(no_wait),
                **cluster.sdk_args())
        return self._finish(poller, no_wait, what, cluster)

    def delete_flux(self, cluster, name, force=False, no_wait=False):
        what = "flux configuration '{}'".format(name)
        with self._errors(what, cluster):
            poller = self.flux.flux_configurations.begin_delete(
                flux_configuration_name=name, force_delete=bool(force), **self._lro_kwargs(no_wait),
                **cluster.sdk_args())
        self._finish(poller, no_wait, what, cluster)

    # -- extensions --------------------------------------------------------------------------
    def get_extension(self, cluster, name):
        what = "extension '{}'".format(name)
        with self._errors(what, cluster):
            return self.extensions.extensions.get(extension_name=name, cls=_raw_json, **cluster.sdk_args())

    def list_extensions(self, cluster):
        with self._errors(None, cluster):
            return [item.as_dict() for item in self.extensions.extensions.list(**cluster.sdk_args())]

    def put_extension(self, cluster, name, body, no_wait=False):
        what = "extension '{}'".format(name)
        with self._errors(what, cluster):
            poller = self.extensions.extensions.begin_create(
                extension_name=name, extension=body, **self._lro_kwargs(no_wait), **cluster.sdk_args())
        return self._finish(poller, no_wait, what, cluster)

    def patch_extension(self, cluster, name, body, no_wait=False):
        what = "extension '{}'".format(name)
        with self._errors(what, cluster):
            poller = self.extensions.extensions.begin_update(
                extension_name=name, patch_extension=body, **self._lro_kwargs(no_wait), **cluster.sdk_args())
        return self._finish(poller, no_wait, what, cluster)

    def delete_extension(self, cluster, name, force=False, no_wait=False):
        what = "extension '{}'".format(name)
        with self._errors(what, cluster):
            poller = self.extensions.extensions.begin_delete(
                extension_name=name, force_delete=bool(force), **self._lro_kwargs(no_wait), **cluster.sdk_args())
        self._finish(poller, no_wait, what, cluster)

    # -- plain GETs (extension types) through the same pipeline ------------------------------
    def get_json(self, path, api_version, params=None, what=None, cluster=None):
        """GET an ARM path (relative to the cloud's resource manager) and return its JSON."""
        from azure.core.rest import HttpRequest
        query = dict(params or {})
        query["api-version"] = api_version
        request = HttpRequest("GET", path, params=query, headers={"Accept": "application/json"})
        return self._send(request, what, cluster)

    def list_json(self, path, api_version, params=None, what=None, cluster=None):
        """GET an ARM collection and follow nextLink; return the concatenated `value` items."""
        from azure.core.rest import HttpRequest
        page = self.get_json(path, api_version, params, what, cluster)
        items = list(page.get("value") or [])
        while page.get("nextLink"):
            page = self._send(HttpRequest("GET", page["nextLink"], headers={"Accept": "application/json"}),
                              what, cluster)
            items.extend(page.get("value") or [])
        return items

    def _send(self, request, what, cluster):
        client = self.extensions
        with self._errors(what, cluster):
            response = client.send_request(request)
            if response.status_code >= 400:
                raise HttpResponseError(response=response)
            return response.json()

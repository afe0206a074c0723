"""The one layer that talks to Azure Resource Manager.

Everything that goes over the wire passes through `ArmClient`: it resolves the cluster's ARM path,
logs in once per command (one credential, each token fetched at most once), builds the official
SDK clients through the factory it is given (az's, so --debug, the user agent, clouds and retries
come for free; or a plain one for the Python API), retries every request that is safe to repeat
(PATCH of desired state included: core/retry.py), follows long-running operations with fast
polling (core/polling.py) and az's progress indicator, and turns ARM errors, unreadable answers
and lost connections into readable messages.  Bodies go in and come out as plain wire JSON dicts.
"""
import threading
from contextlib import contextmanager

from azure.core.exceptions import AzureError, DecodeError, HttpResponseError, ServiceRequestError, ServiceResponseError

from azext_fluxlite.core.cluster import ClusterRef, resolve_cluster_rp
from azext_fluxlite.core import arm_errors
from azext_fluxlite.core.arm_errors import translate
from azext_fluxlite.core.errors import ResourceNotFoundError

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


def sdk_client_factory(endpoint, **client_kwargs):
    """Build official SDK clients directly (no az): for the Python API and the fleet engine.

    `client_kwargs` go to every client (a fleet passes one shared transport and its throttle policy).
    """
    def factory(client_type, credential, subscription_id, **call_kwargs):
        base = endpoint.rstrip("/")
        kwargs = dict(call_kwargs, **client_kwargs)     # the fleet's own settings win
        return client_type(credential, subscription_id, base_url=base,
                           credential_scopes=[base + "/.default"], **kwargs)
    return factory


def wait_for_poller(poller):
    """Follow a long-running operation to its end (the az adapter adds a progress indicator)."""
    return poller.result()


class ArmClient:
    """Per-command access to ARM for Microsoft.KubernetesConfiguration resources.

    `login` returns (credential, subscription id) and is called at most once, at the first request;
    `endpoint` is the cloud's resource manager URL; `client_factory(client_type, credential,
    subscription_id, **client_kwargs)` builds an SDK client, passing client_kwargs (the retry policy)
    to its constructor (az's factory adds its user agent, --debug logging and
    cloud settings); `finish(poller)` waits for a long-running operation.  The az commands get one
    from `azext_fluxlite._az_arm.arm_client(cli_ctx)`; the Python API builds one from an
    azure-identity credential.
    """

    def __init__(self, login, endpoint="https://management.azure.com", client_factory=None, finish=None):
        from azext_fluxlite.core import redaction
        redaction.install()
        self._login_fn = login
        self.endpoint = endpoint.rstrip("/")
        self._client_factory = client_factory or sdk_client_factory(self.endpoint)
        self._finish_fn = finish or wait_for_poller
        self.poll_floor = None      # the shortest wait between polls (None: polling.FIRST_DELAY)
        self._credential = None
        self._subscription_id = None
        self._flux_client = None
        self._ext_client = None

    # -- login and clients -------------------------------------------------------------------
    def _login(self):
        if self._credential is None:
            credential, subscription_id = self._login_fn()
            self._credential = _CachingCredential(credential)
            self._subscription_id = subscription_id
        return self._credential, self._subscription_id

    @property
    def subscription_id(self):
        return self._login()[1]

    def _client(self, client_type):
        from azext_fluxlite.core.retry import arm_retry_policy
        credential, subscription_id = self._login()
        return self._client_factory(client_type, credential, subscription_id, retry_policy=arm_retry_policy())

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
        from azext_fluxlite.core.redaction import redact
        query = {"api-version": api_version}
        query.update(params or {})
        request = {"method": method,
                   "url": "{}{}?{}".format(self.endpoint, path, urlencode(query))}
        if body is not None:
            request["body"] = redact(body)
        return request

    # -- errors and long-running operations --------------------------------------------------
    @contextmanager
    def _errors(self, what=None, cluster=None, follow=None, method=None):
        """Translate what a request raised; `follow` = (kind, name, cluster, wait condition) for writes."""
        try:
            yield
        except DecodeError as exc:
            raise arm_errors.unreadable_answer(exc, follow) from None
        except HttpResponseError as exc:
            raise translate(exc, what=what, cluster=cluster) from None
        except (ServiceRequestError, ServiceResponseError) as exc:
            raise arm_errors.unreachable(exc, self.endpoint, follow, method) from None
        except AzureError as exc:   # e.g. a streamed answer that broke off: never a traceback
            raise arm_errors.AzureResponseError("ARM's answer could not be read: {}. Try again.".format(
                str(exc).splitlines()[0].rstrip("."))) from None

    def _finish(self, poller, no_wait, what, cluster, follow):
        """Follow an accepted write's operation to its end; explain a failure to follow it."""
        if no_wait:
            return None
        try:
            return self._finish_fn(poller)
        except AzureError as exc:
            polling = poller.polling_method()
            error = arm_errors.operation_failure(exc, what, cluster, follow, getattr(polling, "last_url", None))
            if follow[3] == "deleted" and getattr(exc, "status_code", None) == 404 and self._gone(follow):
                return None     # the status URL is gone with the resource: it was deleted (az's rule)
            raise error from None

    def _gone(self, follow):
        kind, name, cluster, _ = follow
        try:
            (self.get_flux if kind == "flux" else self.get_extension)(cluster, name)
        except ResourceNotFoundError:
            return True
        except Exception:  # pylint: disable=broad-except
            return False
        return False

    def _lro_kwargs(self, no_wait):
        from azext_fluxlite.core.polling import BackoffARMPolling
        return {"polling": False if no_wait else BackoffARMPolling(floor=self.poll_floor), "cls": _raw_json}

    def _write(self, method, kind, name, cluster, condition, no_wait, begin, **kwargs):
        """Send a PUT/PATCH/DELETE of a flux configuration or extension and follow its operation."""
        what = "{} '{}'".format("flux configuration" if kind == "flux" else "extension", name)
        follow = (kind, name, cluster, condition)
        with self._errors(what, cluster, follow, method):
            poller = begin(**kwargs, **self._lro_kwargs(no_wait), **cluster.sdk_args())
        return self._finish(poller, no_wait, what, cluster, follow)

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
        return self._write("PUT", "flux", name, cluster, "created", no_wait,
                           self.flux.flux_configurations.begin_create_or_update,
                           flux_configuration_name=name, flux_configuration=body)

    def patch_flux(self, cluster, name, body, no_wait=False):
        return self._write("PATCH", "flux", name, cluster, "updated", no_wait,
                           self.flux.flux_configurations.begin_update,
                           flux_configuration_name=name, flux_configuration_patch=body)

    def delete_flux(self, cluster, name, force=False, no_wait=False):
        self._write("DELETE", "flux", name, cluster, "deleted", no_wait, self.flux.flux_configurations.begin_delete,
                    flux_configuration_name=name, force_delete=bool(force))

    # -- extensions --------------------------------------------------------------------------
    def get_extension(self, cluster, name):
        what = "extension '{}'".format(name)
        with self._errors(what, cluster):
            return self.extensions.extensions.get(extension_name=name, cls=_raw_json, **cluster.sdk_args())

    def list_extensions(self, cluster):
        with self._errors(None, cluster):
            return [item.as_dict() for item in self.extensions.extensions.list(**cluster.sdk_args())]

    def put_extension(self, cluster, name, body, no_wait=False):
        return self._write("PUT", "extension", name, cluster, "created", no_wait,
                           self.extensions.extensions.begin_create, extension_name=name, extension=body)

    def patch_extension(self, cluster, name, body, no_wait=False):
        return self._write("PATCH", "extension", name, cluster, "updated", no_wait,
                           self.extensions.extensions.begin_update, extension_name=name, patch_extension=body)

    def delete_extension(self, cluster, name, force=False, no_wait=False):
        self._write("DELETE", "extension", name, cluster, "deleted", no_wait, self.extensions.extensions.begin_delete,
                    extension_name=name, force_delete=bool(force))

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
            try:
                return response.json()
            except ValueError:
                raise DecodeError("unreadable JSON", response=response) from None

    # -- any other ARM resource (side calls of partner extension types) -----------------------
    def request_json(self, method, path, api_version, body=None, params=None, what=None, cluster=None):
        """Send one ARM request through the same pipeline (retries, --debug, redaction, error translation).

        Returns the JSON answer, or {} when the answer has no body (HEAD, 204); raises the translated
        error (404 -> ResourceNotFoundError) for any status >= 400.
        """
        from azure.core.rest import HttpRequest
        query = dict(params or {})
        query["api-version"] = api_version
        extra = {} if body is None else {"json": body}
        request = HttpRequest(method, path, params=query, headers={"Accept": "application/json"}, **extra)
        with self._errors(what, cluster):
            response = self.extensions.send_request(request)
            if response.status_code >= 400:
                raise HttpResponseError(response=response)
            if method == "HEAD" or not response.content:
                return {}
            try:
                return response.json()
            except ValueError:
                return {}

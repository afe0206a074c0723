"""What every partner handler shares: the arguments it may rewrite, its side calls, its prompts.

A handler never talks to ARM or to a terminal itself.  It gets
* `args`: an `ExtensionArgs` (create) or `UpdateArgs` (update) it may rewrite (name, scope,
  settings, release train, ...);
* `calls`: a `SideCalls`, the handler's only way to ARM.  It goes through the one ARM layer
  (`ArmClient.request_json`: same retries, --debug, redaction and error translation) and, in a dry
  run, records every request instead of sending writes, so `--dry-run` lists the side calls too;
* `prompts`: `confirm(message)` (raises when declined; honours --yes), `yes_no(message, default)`
  and `text(message, default, help)`, supplied by the az adapter.
This keeps the handlers free of azure.cli and knack, and testable with a fake client.
"""
import logging
from dataclasses import dataclass, field
from typing import Optional

from azext_fluxlite.core.cluster import ClusterRef, arm_id
from azext_fluxlite.core.errors import ResourceNotFoundError, ServiceError

logger = logging.getLogger("cli.azext_fluxlite.extension.partners")

DELETE_PROMPT = "Are you sure you want to perform this operation?"


@dataclass
class ExtensionArgs:  # pylint: disable=too-many-instance-attributes
    """`az k8s-extension create` arguments after parsing (settings maps already merged)."""
    name: str
    extension_type: str
    cluster: ClusterRef
    scope: Optional[str] = None
    release_namespace: Optional[str] = None
    target_namespace: Optional[str] = None
    settings: dict = field(default_factory=dict)
    protected: dict = field(default_factory=dict)
    auto_upgrade_minor_version: Optional[bool] = None
    auto_upgrade_mode: Optional[str] = None
    release_train: Optional[str] = None
    version: Optional[str] = None
    cloud: str = "AzureCloud"
    tenant_id: Optional[str] = None
    create_identity: bool = True

    @property
    def cluster_type(self):
        return self.cluster.cluster_type


@dataclass
class UpdateArgs:  # pylint: disable=too-many-instance-attributes
    """`az k8s-extension update` arguments plus the extension as it is (`existing`, ARM JSON)."""
    name: str
    cluster: ClusterRef
    existing: dict
    settings: Optional[dict] = None
    protected: Optional[dict] = None
    auto_upgrade_minor_version: Optional[bool] = None
    auto_upgrade_mode: Optional[str] = None
    release_train: Optional[str] = None
    version: Optional[str] = None
    cloud: str = "AzureCloud"

    @property
    def original(self):
        return self.existing.get("properties") or {}


class SideCalls:
    """The handlers' requests to ARM, sent through `ArmClient.request_json` (or recorded in a dry run).

    In a dry run, reads (GET, HEAD) are sent, since what comes next depends on them, and every
    request is listed in `planned`; writes and actions (PUT, PATCH, POST, DELETE) are only listed,
    and answer with `dry_result` (by default the body sent, with the id of the path).
    """

    def __init__(self, client, dry_run=False, cluster=None):
        self.client = client
        self.dry_run = dry_run
        self.cluster = cluster
        self.planned = []
        self.fetch = None       # tests replace the internet: fetch(url) -> text or None (404)

    @property
    def subscription_id(self):
        return self.client.subscription_id

    def _plan(self, method, path, api_version, body, params):
        if self.dry_run:
            self.planned.append(self.client.planned(method, path, api_version, body, params))

    def get(self, path, api_version, params=None, what=None, missing_ok=False):
        """GET; with missing_ok a 404 answers None."""
        self._plan("GET", path, api_version, None, params)
        try:
            return self.client.request_json("GET", path, api_version, params=params, what=what)
        except ResourceNotFoundError:
            if missing_ok:
                return None
            raise

    def exists(self, path, api_version, what=None):
        """HEAD: True when the resource exists, False on 404."""
        self._plan("HEAD", path, api_version, None, None)
        try:
            self.client.request_json("HEAD", path, api_version, what=what)
        except ResourceNotFoundError:
            return False
        return True

    def send(self, method, path, api_version, body=None, params=None, what=None, dry_result=None,
             missing_ok=False):
        """A write or action (PUT, PATCH, POST, DELETE); in a dry run only listed."""
        self._plan(method, path, api_version, body, params)
        if self.dry_run:
            if dry_result is not None:
                return dry_result
            result = dict(body) if isinstance(body, dict) else {}
            result.setdefault("id", path)
            result.setdefault("name", path.rsplit("/", 1)[-1])
            return result
        try:
            return self.client.request_json(method, path, api_version, body=body, params=params, what=what)
        except ResourceNotFoundError:
            if missing_ok:
                return None
            raise

    # -- the internet (Open Service Mesh version look-ups only) ---------------------------------
    def web_text(self, url, what, flag):
        """GET a public URL; None on 404; offline -> an error saying what to pass instead."""
        if self.dry_run:
            self.planned.append({"method": "GET", "url": url})
        try:
            return (self.fetch or _fetch)(url)
        except OSError as exc:
            host = url.split("/")[2]
            advice = ("check the connection, or pass {} so that the look-up is not needed.".format(flag) if flag
                      else "check the connection and try again.")
            raise ServiceError("Cannot reach {} to look up {} ({}): {}".format(
                host, what, getattr(exc, "reason", None) or exc, advice)) from None

    def web_json(self, url, what, flag):
        import json
        text = self.web_text(url, what, flag)
        try:
            return None if text is None else json.loads(text)
        except ValueError:
            raise ServiceError("{} answered something that is not JSON while looking up {}.".format(
                url.split("/")[2], what)) from None

    def web_yaml(self, url, what, flag):
        import yaml
        text = self.web_text(url, what, flag)
        try:
            return None if text is None else yaml.safe_load(text)
        except yaml.YAMLError:
            raise ServiceError("{} is not valid YAML ({}).".format(url, what)) from None


def insights_id(cluster, kind, name):
    """A Microsoft.Insights resource (data collection rule or endpoint) in the cluster's resource group."""
    return arm_id(cluster.subscription_id, cluster.resource_group, "Microsoft.Insights", kind, name)


def _fetch(url, timeout=30):
    """The body of a public URL as text, None on 404 (urllib: no ARM credentials go there)."""
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen
    try:
        with urlopen(Request(url, headers={"User-Agent": "fluxlite"}), timeout=timeout) as response:  # nosec
            return response.read().decode("utf-8")
    except HTTPError as exc:
        if exc.code == 404:
            return None
        raise OSError("HTTP {}".format(exc.code)) from None


def is_true(value):
    """The originals' truthiness of a setting: the string 'true' (any case) or a true bool."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() == "true"


def resource_id_parts(resource_id):
    """{subscription, resource_group, namespace, type, name} of an ARM id (None when it is not one)."""
    parts = [p for p in (resource_id or "").split("/") if p]
    if len(parts) < 8 or parts[0].lower() != "subscriptions" or parts[2].lower() != "resourcegroups" \
            or parts[4].lower() != "providers":
        return None
    return {"subscription": parts[1], "resource_group": parts[3], "namespace": parts[5], "type": parts[6],
            "name": parts[7]}


class DefaultHandler:
    """Every extension type without special treatment: the flags as given, an identity off AKS."""

    create_warnings = ()

    def create(self, args, calls, prompts):  # pylint: disable=unused-argument
        """Rewrite `args` in place (and make side calls); called after the common scope checks."""
        return args

    def update(self, args, calls, prompts):  # pylint: disable=unused-argument
        return args

    def delete(self, name, cluster, existing, calls, prompts):  # pylint: disable=unused-argument,too-many-arguments
        """Everything before the DELETE of the extension itself."""
        prompts.confirm(DELETE_PROMPT)

"""Pure builders for `az k8s-extension`: validated arguments in, ARM wire JSON out.

No I/O happens here (settings files are read by `_extension_args`), so the same functions serve the
commands and a dry run.  The bodies are exactly what Microsoft's `az k8s-extension` sends
(api-version 2025-03-01): optional fields only when given, both settings maps always present,
`identity` for every cluster type except managedClusters.  Invalid combinations raise a one-line az
error naming the flag, before anything is sent.
"""
import re

from azext_fluxlite.core.errors import (
    ArgumentUsageError, InvalidArgumentValueError, MutuallyExclusiveArgumentError, RequiredArgumentMissingError)
from azext_fluxlite.core.names import check_namespace

FLUX_EXTENSION_TYPE = "microsoft.flux"
FLEETS = "fleets"
AUTO_UPGRADE_MODES = ("none", "patch", "compatible")
SCOPES = ("cluster", "namespace")
MAX_NAME_LENGTH = 253
_NAME_CHARS = re.compile(r"^[a-z0-9.-]+$")
_PLAN_HINT = ("Find them in the Azure Marketplace portal under 'Usage Information + Support' "
              "(Plan ID, Product ID, Publisher ID).")


def validate_extension_name(name):
    """Extension names end up as Kubernetes/Helm names: lower-case letters, digits, '-' and '.'."""
    if not name:
        raise RequiredArgumentMissingError("--name is empty: give the extension a name, e.g. --name flux.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidArgumentValueError(
            "--name '{}...' is {} characters long: use at most {}.".format(name[:20], len(name), MAX_NAME_LENGTH))
    if not _NAME_CHARS.match(name):
        raise InvalidArgumentValueError(
            "--name '{}' may only contain lower-case letters, digits, '-' and '.': try --name {}.".format(
                name, _suggest_name(name)))


def _suggest_name(name):
    suggestion = re.sub(r"[^a-z0-9.-]+", "-", name.lower()).strip("-.")
    return suggestion or "my-extension"


def check_fleet_extension_type(cluster_type, extension_type):
    """Fleets only support the Flux extension (upstream k8s-extension >= 1.9.1)."""
    if (cluster_type or "").lower() == FLEETS and (extension_type or "").lower() != FLUX_EXTENSION_TYPE:
        raise InvalidArgumentValueError(
            "Extension type '{}' is not supported for cluster type 'fleets'. The supported extension type "
            "is '{}'.".format((extension_type or "").lower(), FLUX_EXTENSION_TYPE))


def _normalize_mode(mode):
    if mode is None:
        return None
    value = str(mode).strip().lower()
    if value not in AUTO_UPGRADE_MODES:
        raise InvalidArgumentValueError(
            "--auto-upgrade-mode '{}' is not valid: use one of {}.".format(mode, ", ".join(AUTO_UPGRADE_MODES)))
    return value


def check_auto_upgrade(auto_upgrade_minor_version, auto_upgrade_mode, version, creating):
    """The version/auto-upgrade rules; returns the normalised auto-upgrade mode.

    Both commands: --auto-upgrade-mode and the (deprecated) --auto-upgrade-minor-version exclude each
    other, and --version cannot be combined with an explicit auto-upgrade.  Create also requires
    auto-upgrade to be turned off explicitly when --version pins a version (the service rejects a
    pinned version while auto-upgrade is on, and auto-upgrade is on by default).
    """
    mode = _normalize_mode(auto_upgrade_mode)
    if auto_upgrade_minor_version is not None and mode is not None:
        raise MutuallyExclusiveArgumentError(
            "--auto-upgrade-mode and --auto-upgrade-minor-version cannot be used together: use only "
            "--auto-upgrade-mode (none, patch or compatible).")
    if not version:
        return mode
    if auto_upgrade_minor_version:
        raise MutuallyExclusiveArgumentError(
            "--version pins the extension, so auto-upgrade must be off: replace --auto-upgrade-minor-version "
            "true with --auto-upgrade-mode none.")
    if mode is not None and mode != "none":
        raise MutuallyExclusiveArgumentError(
            "--version pins the extension, so auto-upgrade must be off: use --auto-upgrade-mode none instead "
            "of --auto-upgrade-mode {}.".format(mode))
    if creating and mode is None and auto_upgrade_minor_version is None:
        raise RequiredArgumentMissingError(
            "--version pins the extension, so auto-upgrade must be off: add --auto-upgrade-mode none.")
    return mode


def build_scope(scope, release_namespace=None, target_namespace=None):
    """The `scope` object (None when --scope is not given)."""
    scope = scope.lower() if scope else None
    if scope is not None and scope not in SCOPES:
        raise InvalidArgumentValueError("--scope '{}' is not valid: use cluster or namespace.".format(scope))
    if release_namespace is not None and scope != "cluster":
        if scope == "namespace":
            raise MutuallyExclusiveArgumentError(
                "--release-namespace only applies to --scope cluster: with --scope namespace use "
                "--target-namespace instead.")
        raise RequiredArgumentMissingError(
            "--release-namespace only applies to cluster-scoped extensions: add --scope cluster.")
    if target_namespace is not None and scope != "namespace":
        if scope == "cluster":
            raise MutuallyExclusiveArgumentError(
                "When --scope is 'cluster', --target-namespace must not be given: use --release-namespace "
                "to choose the namespace of a cluster-scoped extension.")
        raise RequiredArgumentMissingError(
            "--target-namespace only applies to namespace-scoped extensions: add --scope namespace "
            "(without --scope the namespace would be ignored).")
    # Both become Kubernetes namespaces: a name the cluster refuses (flux_system, Team-A) fails the install.
    if release_namespace:
        check_namespace(release_namespace, "--release-namespace")
    if target_namespace:
        check_namespace(target_namespace, "--target-namespace")
    if scope == "cluster":
        return {"cluster": {"releaseNamespace": release_namespace} if release_namespace else {}}
    if scope == "namespace":
        if not target_namespace:
            raise RequiredArgumentMissingError(
                "When --scope is 'namespace', --target-namespace must be given: add --target-namespace <namespace>.")
        return {"namespace": {"targetNamespace": target_namespace}}
    return None


def build_plan(plan_name=None, plan_product=None, plan_publisher=None):
    """The Marketplace `plan` object: all three plan options or none."""
    given = {"--plan-name": plan_name, "--plan-product": plan_product, "--plan-publisher": plan_publisher}
    if not any(given.values()):
        return None
    missing = [flag for flag, value in given.items() if not value]
    if missing:
        raise ArgumentUsageError(
            "--plan-name, --plan-product and --plan-publisher go together: add {}. {}".format(
                " and ".join(missing), _PLAN_HINT))
    return {"name": plan_name, "publisher": plan_publisher, "product": plan_product}


def _version_fields(properties, auto_upgrade_minor_version, mode, release_train, version):
    if auto_upgrade_minor_version is not None:
        properties["autoUpgradeMinorVersion"] = bool(auto_upgrade_minor_version)
    if mode is not None:
        properties["autoUpgradeMode"] = mode
    if release_train is not None:
        properties["releaseTrain"] = release_train
    if version is not None:
        properties["version"] = version


def build_extension_create_body(extension_type, cluster_type, auto_upgrade_minor_version=None,
                                auto_upgrade_mode=None, release_train=None, version=None, scope=None,
                                release_namespace=None, target_namespace=None, configuration_settings=None,
                                configuration_protected_settings=None, plan_name=None, plan_product=None,
                                plan_publisher=None):
    """The PUT body of `az k8s-extension create` (settings maps already merged)."""
    # pylint: disable=too-many-arguments,too-many-locals
    if not extension_type or not extension_type.strip():
        raise RequiredArgumentMissingError(
            "--extension-type is empty: name the extension type, e.g. --extension-type microsoft.flux.")
    extension_type = extension_type.strip().lower()
    check_fleet_extension_type(cluster_type, extension_type)
    scope_body = build_scope(scope, release_namespace, target_namespace)
    plan = build_plan(plan_name, plan_product, plan_publisher)
    mode = check_auto_upgrade(auto_upgrade_minor_version, auto_upgrade_mode, version, creating=True)

    properties = {"extensionType": extension_type}
    _version_fields(properties, auto_upgrade_minor_version, mode, release_train, version)
    if scope_body is not None:
        properties["scope"] = scope_body
    properties["configurationSettings"] = dict(configuration_settings or {})
    properties["configurationProtectedSettings"] = dict(configuration_protected_settings or {})
    body = {"properties": properties}
    if (cluster_type or "").lower() != "managedclusters":
        body["identity"] = {"type": "SystemAssigned"}
    if plan is not None:
        body["plan"] = plan
    return body


def build_extension_patch_body(auto_upgrade_minor_version=None, auto_upgrade_mode=None, release_train=None,
                               version=None, configuration_settings=None, configuration_protected_settings=None):
    """The PATCH body of `az k8s-extension update`: both settings maps always present."""
    mode = check_auto_upgrade(auto_upgrade_minor_version, auto_upgrade_mode, version, creating=False)
    properties = {}
    _version_fields(properties, auto_upgrade_minor_version, mode, release_train, version)
    properties["configurationSettings"] = dict(configuration_settings or {})
    properties["configurationProtectedSettings"] = dict(configuration_protected_settings or {})
    return {"properties": properties}

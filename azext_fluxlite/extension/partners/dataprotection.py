"""microsoft.dataprotection.kubernetes (AKS backup): AKS only, cluster scope, always auto-upgrading.

Settings are given with short names (blobContainer, storageAccount, ...) that are renamed to the
chart's keys; the storage account must be in the cluster's location, and its blob URI is looked up
when not given.  Protected settings and --version are not sent.
"""
from azext_fluxlite.core.cluster import arm_id
from azext_fluxlite.core.errors import InvalidArgumentValueError, RequiredArgumentMissingError

from .base import DefaultHandler, logger

STORAGE_API = "2025-08-01"
MANAGED_CLUSTER_API = "2026-06-01"
BSL = "configuration.backupStorageLocation"
KEYS = {
    "blobcontainer": BSL + ".bucket",
    "storageaccount": BSL + ".config.storageAccount",
    "storageaccountresourcegroup": BSL + ".config.resourceGroup",
    "storageaccountsubscriptionid": BSL + ".config.subscriptionId",
    "cpurequest": "resources.requests.cpu",
    "memoryrequest": "resources.requests.memory",
    "cpulimit": "resources.limits.cpu",
    "memorylimit": "resources.limits.memory",
    "useaad": BSL + ".config.useAAD",
    "storageaccounturi": BSL + ".config.storageAccountURI",
    "disableinformercache": "configuration.disableInformerCache",
}
REQUIRED = (("blobContainer", "blobcontainer"), ("storageAccount", "storageaccount"),
            ("storageAccountResourceGroup", "storageaccountresourcegroup"),
            ("storageAccountSubscriptionId", "storageaccountsubscriptionid"))
ACCOUNT, GROUP, SUBSCRIPTION = KEYS["storageaccount"], KEYS["storageaccountresourcegroup"], \
    KEYS["storageaccountsubscriptionid"]
USE_AAD, URI = KEYS["useaad"], KEYS["storageaccounturi"]
SCOPE_ERROR = "Invalid scope 'namespace'. This extension can only be installed at 'cluster' scope."
NO_TENANT = "Unable to fetch TenantId. Please check your subscription or run 'az login' to login to Azure."


def map_settings(settings, require):
    """Rename the short keys (case-insensitive, values stripped); drop unknown keys with a warning."""
    mapped = {}
    for key, value in settings.items():
        target = KEYS.get(key.lower())
        if target is None:
            logger.warning("Ignoring unrecognized configuration setting: %s", key)
            continue
        mapped[target] = value.strip() if isinstance(value, str) else value
    if require:
        for key, short in REQUIRED:
            if KEYS[short] not in mapped:
                raise RequiredArgumentMissingError(
                    "--configuration-settings: Missing required configuration setting: {}".format(key))
    return mapped


def _account_path(settings):
    return arm_id(settings[SUBSCRIPTION], settings[GROUP], "Microsoft.Storage", "storageAccounts", settings[ACCOUNT])


def check_location(calls, cluster, settings):
    """The storage account and the cluster must be in one location (the original exits 0 here)."""
    account = calls.get(_account_path(settings), STORAGE_API, what="storage account '{}'".format(settings[ACCOUNT]))
    managed = calls.get(cluster.resource_id, MANAGED_CLUSTER_API, what="cluster '{}'".format(cluster.cluster_name))
    account_location = (account.get("location") or "").replace(" ", "").lower()
    cluster_location = (managed.get("location") or "").replace(" ", "").lower()
    if account_location != cluster_location:
        raise InvalidArgumentValueError(
            "--configuration-settings storageAccount: The Kubernetes managed cluster '{} ({})' and the backup storage "
            "account '{} ({})' are not in the same location. Please make sure that the cluster and the storage account "
            "are in the same location.".format(cluster.cluster_name, managed.get("location"), settings[ACCOUNT],
                                               account.get("location")))


def add_uri(calls, settings, source):
    logger.warning("storageAccountURI is not populated. Setting it to the storage account URI of provided storage "
                   "account")
    account = calls.get(_account_path(source), STORAGE_API, what="storage account '{}'".format(source[ACCOUNT]))
    uri = ((account.get("properties") or {}).get("primaryEndpoints") or {}).get("blob")
    settings[URI] = uri
    logger.warning("storageAccountURI: %s", uri)


def _use_aad(settings):
    if USE_AAD not in settings:
        logger.warning("useAAD flag is not specified. Setting it to 'true'. Please provide extension MSI Storage "
                       "Blob Data Contributor role on the storage account.")
        settings[USE_AAD] = "true"


class DataProtectionHandler(DefaultHandler):

    needs_tenant = True
    ignores_version = True

    def create(self, args, calls, prompts):
        if (args.scope or "").lower() == "namespace":
            raise InvalidArgumentValueError("--scope: " + SCOPE_ERROR)
        if args.cluster_type.lower() != "managedclusters":
            raise InvalidArgumentValueError(
                "--cluster-type: Invalid cluster type '{}'. This extension can only be installed for managed "
                "clusters.".format(args.cluster_type))
        if args.release_namespace:
            logger.warning("Ignoring 'release-namespace': %s", args.release_namespace)
        if not args.tenant_id:
            raise RequiredArgumentMissingError(NO_TENANT)
        settings = map_settings(args.settings, require=True)
        settings["credentials.tenantId"] = args.tenant_id
        _use_aad(settings)
        check_location(calls, args.cluster, settings)
        if not settings.get(URI):
            add_uri(calls, settings, settings)
        args.settings, args.protected = settings, {}
        args.scope, args.target_namespace = "cluster", None
        args.auto_upgrade_minor_version, args.auto_upgrade_mode, args.version = True, None, None
        args.release_train = args.release_train or "stable"
        return args

    def update(self, args, calls, prompts):
        given = args.settings or {}
        original = args.original.get("configurationSettings") or {}
        require = any(key.lower() in dict(REQUIRED).values() for key in given)
        settings = map_settings(given, require=require) if given else {}
        if USE_AAD in settings and str(settings[USE_AAD]).lower() == "true":
            logger.warning("Please provide extension MSI Storage Blob Data Contributor role on the storage account.")
        if require:
            check_location(calls, args.cluster, settings)
            if not settings.get(URI):
                add_uri(calls, settings, settings)
        elif given and not original.get(URI) and all(original.get(key) for key in (ACCOUNT, GROUP, SUBSCRIPTION)):
            add_uri(calls, settings, original)
        args.settings, args.protected = settings, {}
        args.auto_upgrade_minor_version, args.auto_upgrade_mode, args.version = True, None, None
        return args

"""Data Protection (AKS backup): AKS only, renamed settings, same-location check, always auto-upgrading."""
import pytest

from azext_fluxlite.core.errors import InvalidArgumentValueError, RequiredArgumentMissingError
from azext_fluxlite.extension.partners import handler_for

from tests.unit.partner_fakes import SUB, FakePrompts, cluster, create_args, side_calls, update_args

DP = "microsoft.dataprotection.kubernetes"
AKS = cluster("managedClusters")
SA = "/subscriptions/{}/resourceGroups/bk/providers/Microsoft.Storage/storageAccounts/sa1".format(SUB)
SETTINGS = {"blobContainer": " c1 ", "storageAccount": "sa1", "StorageAccountResourceGroup": "bk",
            "storageAccountSubscriptionId": SUB, "verbose": "x"}


def answers(sa_location="eastus", cluster_location="eastus"):
    return {("GET", SA): {"location": sa_location, "properties": {"primaryEndpoints": {
        "blob": "https://sa1.blob.core.windows.net/"}}}, ("GET", AKS.resource_id): {"location": cluster_location}}


def test_create_maps_settings_checks_location_and_forces_auto_upgrade(caplog):
    client, calls = side_calls(answers())
    args = create_args(DP, "managedClusters", settings=SETTINGS, protected={"p": "q"}, version="1.0.0",
                       auto_upgrade_minor_version=False, tenant_id="t1", scope="cluster", release_namespace="ns")
    handler_for(DP).create(args, calls, FakePrompts())
    assert client.calls() == [("GET", SA, "2025-08-01"), ("GET", AKS.resource_id, "2026-06-01"),
                              ("GET", SA, "2025-08-01")]
    bsl = "configuration.backupStorageLocation"
    assert args.settings == {
        bsl + ".bucket": "c1", bsl + ".config.storageAccount": "sa1", bsl + ".config.resourceGroup": "bk",
        bsl + ".config.subscriptionId": SUB, "credentials.tenantId": "t1", bsl + ".config.useAAD": "true",
        bsl + ".config.storageAccountURI": "https://sa1.blob.core.windows.net/"}
    assert args.protected == {} and args.version is None and args.auto_upgrade_minor_version is True
    assert args.release_namespace == "ns"         # sent despite the warning, as the original
    assert "Ignoring unrecognized configuration setting: verbose" in caplog.text
    assert "Ignoring 'release-namespace': ns" in caplog.text


def test_location_mismatch_is_an_error_and_nothing_more_is_sent():
    client, calls = side_calls(answers(cluster_location="westeurope"))
    args = create_args(DP, "managedClusters", settings=SETTINGS, tenant_id="t1")
    with pytest.raises(InvalidArgumentValueError, match=r"are not in the same location"):
        handler_for(DP).create(args, calls, FakePrompts())
    assert len(client.sent) == 2


def test_arc_and_missing_settings_are_refused():
    with pytest.raises(InvalidArgumentValueError, match="Invalid cluster type 'connectedClusters'. This extension can "
                                                        "only be installed for managed clusters."):
        handler_for(DP).create(create_args(DP, settings=SETTINGS, tenant_id="t"), side_calls()[1], FakePrompts())
    with pytest.raises(RequiredArgumentMissingError, match="Missing required configuration setting: blobContainer"):
        handler_for(DP).create(create_args(DP, "managedClusters", settings={"storageAccount": "sa1"}, tenant_id="t"),
                               side_calls()[1], FakePrompts())


def test_update_always_auto_upgrades_and_drops_protected_and_version():
    client, calls = side_calls()
    args = update_args({"extensionType": DP, "configurationSettings": {
        "configuration.backupStorageLocation.config.storageAccountURI": "https://x/"}}, "managedClusters",
        settings={"cpuLimit": "2"}, protected={"a": "b"}, version="2.0.0")
    handler_for(DP).update(args, calls, FakePrompts())
    assert client.sent == []
    assert args.settings == {"resources.limits.cpu": "2"}
    assert (args.protected, args.version, args.auto_upgrade_minor_version) == ({}, None, True)

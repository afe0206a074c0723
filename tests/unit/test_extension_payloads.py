"""The pure request builders of `az k8s-extension create|update`."""
import pytest
from azext_fluxlite.core.errors import (
    ArgumentUsageError, InvalidArgumentValueError, MutuallyExclusiveArgumentError, RequiredArgumentMissingError)

from azext_fluxlite.extension.payloads import (
    build_extension_create_body, build_extension_patch_body, build_plan, build_scope, check_auto_upgrade,
    check_fleet_extension_type, validate_extension_name)


# -- create bodies -----------------------------------------------------------------------------
def test_recorded_dapr_body():
    # The body recorded from the original (Dapr's partner hook added the release namespace and no
    # identity; here the same flags are given explicitly on a managed cluster).
    body = build_extension_create_body(
        "microsoft.dapr", "managedClusters", auto_upgrade_minor_version=False, release_train="stable",
        version="1.6.0", scope="cluster", release_namespace="dapr-system",
        configuration_settings={"skipExistingDaprCheck": "true"})
    assert body == {"properties": {
        "extensionType": "microsoft.dapr", "autoUpgradeMinorVersion": False, "releaseTrain": "stable",
        "version": "1.6.0", "scope": {"cluster": {"releaseNamespace": "dapr-system"}},
        "configurationSettings": {"skipExistingDaprCheck": "true"}, "configurationProtectedSettings": {}}}
    assert list(body["properties"]) == ["extensionType", "autoUpgradeMinorVersion", "releaseTrain", "version",
                                        "scope", "configurationSettings", "configurationProtectedSettings"]


def test_recorded_fleet_flux_body():
    body = build_extension_create_body("microsoft.flux", "fleets", scope="cluster")
    assert body == {"properties": {"extensionType": "microsoft.flux", "scope": {"cluster": {}},
                                   "configurationSettings": {}, "configurationProtectedSettings": {}},
                    "identity": {"type": "SystemAssigned"}}


def test_minimal_flux_on_aks_sends_no_defaults_and_no_identity():
    body = build_extension_create_body("Microsoft.Flux", "managedClusters")
    assert body == {"properties": {"extensionType": "microsoft.flux", "configurationSettings": {},
                                   "configurationProtectedSettings": {}}}


@pytest.mark.parametrize("cluster_type", ["connectedClusters", "appliances", "provisionedClusters", "fleets"])
def test_identity_for_every_cluster_type_but_managed(cluster_type):
    assert build_extension_create_body("microsoft.flux", cluster_type)["identity"] == {"type": "SystemAssigned"}


def test_all_optional_fields_with_plan_and_namespace_scope():
    body = build_extension_create_body(
        "Contoso.Ext", "connectedClusters", auto_upgrade_mode="none", release_train="Preview", version="2.0.1",
        scope="namespace", target_namespace="apps", configuration_settings={"a": "1"},
        configuration_protected_settings={"s": "x"}, plan_name="p", plan_product="o", plan_publisher="pub")
    assert body == {
        "properties": {"extensionType": "contoso.ext", "autoUpgradeMode": "none", "releaseTrain": "Preview",
                       "version": "2.0.1", "scope": {"namespace": {"targetNamespace": "apps"}},
                       "configurationSettings": {"a": "1"}, "configurationProtectedSettings": {"s": "x"}},
        "identity": {"type": "SystemAssigned"},
        "plan": {"name": "p", "publisher": "pub", "product": "o"}}


def test_auto_upgrade_mode_is_sent_lower_case():
    body = build_extension_create_body("microsoft.flux", "managedClusters", auto_upgrade_mode="Patch")
    assert body["properties"]["autoUpgradeMode"] == "patch"


def test_builder_copies_settings():
    settings = {"a": "1"}
    body = build_extension_create_body("microsoft.flux", "managedClusters", configuration_settings=settings)
    body["properties"]["configurationSettings"]["b"] = "2"
    assert settings == {"a": "1"}


# -- patch bodies ------------------------------------------------------------------------------
def test_patch_without_options_still_sends_both_maps():
    assert build_extension_patch_body() == {"properties": {"configurationSettings": {},
                                                           "configurationProtectedSettings": {}}}


def test_patch_with_every_field_in_order():
    body = build_extension_patch_body(auto_upgrade_minor_version=True, release_train="stable", version=None,
                                      configuration_settings={"helm-controller.detectDrift": "true"},
                                      configuration_protected_settings={"k": "v"})
    assert body == {"properties": {"autoUpgradeMinorVersion": True, "releaseTrain": "stable",
                                   "configurationSettings": {"helm-controller.detectDrift": "true"},
                                   "configurationProtectedSettings": {"k": "v"}}}


def test_patch_allows_version_alone_and_with_mode_none():
    assert build_extension_patch_body(version="1.2.3")["properties"]["version"] == "1.2.3"
    props = build_extension_patch_body(version="1.2.3", auto_upgrade_mode="none")["properties"]
    assert props["autoUpgradeMode"] == "none" and props["version"] == "1.2.3"


# -- version / auto-upgrade rules --------------------------------------------------------------
@pytest.mark.parametrize("kwargs, error, text", [
    ({"version": "1.0.0"}, RequiredArgumentMissingError, "add --auto-upgrade-mode none"),
    ({"version": "1.0.0", "auto_upgrade_minor_version": True}, MutuallyExclusiveArgumentError,
     "replace --auto-upgrade-minor-version true with --auto-upgrade-mode none"),
    ({"version": "1.0.0", "auto_upgrade_mode": "compatible"}, MutuallyExclusiveArgumentError,
     "use --auto-upgrade-mode none instead of --auto-upgrade-mode compatible"),
    ({"auto_upgrade_mode": "patch", "auto_upgrade_minor_version": False}, MutuallyExclusiveArgumentError,
     "--auto-upgrade-mode and --auto-upgrade-minor-version cannot be used together"),
    ({"auto_upgrade_mode": "sometimes"}, InvalidArgumentValueError, "use one of none, patch, compatible"),
])
def test_create_auto_upgrade_errors(kwargs, error, text):
    with pytest.raises(error, match=text.replace("(", r"\(")):
        build_extension_create_body("microsoft.flux", "connectedClusters", **kwargs)


@pytest.mark.parametrize("kwargs", [
    {"version": "1.0.0", "auto_upgrade_minor_version": False},
    {"version": "1.0.0", "auto_upgrade_mode": "none"},
    {"version": "1.0.0", "auto_upgrade_mode": " NONE "},
    {"auto_upgrade_minor_version": True},
])
def test_create_auto_upgrade_accepted(kwargs):
    check_auto_upgrade(kwargs.get("auto_upgrade_minor_version"), kwargs.get("auto_upgrade_mode"),
                       kwargs.get("version"), creating=True)


@pytest.mark.parametrize("kwargs, error", [
    ({"version": "1", "auto_upgrade_minor_version": True}, MutuallyExclusiveArgumentError),
    ({"version": "1", "auto_upgrade_mode": "patch"}, MutuallyExclusiveArgumentError),
    ({"auto_upgrade_mode": "none", "auto_upgrade_minor_version": True}, MutuallyExclusiveArgumentError),
])
def test_update_rejects_contradictions(kwargs, error):
    with pytest.raises(error):
        build_extension_patch_body(**kwargs)


# -- scope -------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, error, text", [
    (("cluster", None, "apps"), MutuallyExclusiveArgumentError, "When --scope is 'cluster', --target-namespace"),
    (("namespace", "ns", "apps"), MutuallyExclusiveArgumentError, "with --scope namespace use --target-namespace"),
    ((None, "ns", None), RequiredArgumentMissingError, "add --scope cluster"),
    ((None, None, "apps"), RequiredArgumentMissingError, "add --scope namespace"),
    (("namespace", None, None), RequiredArgumentMissingError, "add --target-namespace"),
    (("namespace", None, ""), RequiredArgumentMissingError, "add --target-namespace"),
])
def test_scope_errors(args, error, text):
    with pytest.raises(error, match=text):
        build_scope(*args)


def test_scope_objects():
    assert build_scope(None) is None
    assert build_scope("cluster") == {"cluster": {}}
    assert build_scope("Cluster", "flux-system") == {"cluster": {"releaseNamespace": "flux-system"}}
    assert build_scope("namespace", None, "apps") == {"namespace": {"targetNamespace": "apps"}}


# -- plan --------------------------------------------------------------------------------------
def test_plan_all_or_none():
    assert build_plan() is None
    assert build_plan("n", "p", "pub") == {"name": "n", "publisher": "pub", "product": "p"}
    with pytest.raises(ArgumentUsageError, match="add --plan-product and --plan-publisher"):
        build_plan(plan_name="n")
    with pytest.raises(ArgumentUsageError, match="add --plan-name\\. "):
        build_plan(plan_product="p", plan_publisher="pub")


# -- names and fleets --------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["flux", "my-ext.v2", "a" * 253, "0"])
def test_valid_names(name):
    validate_extension_name(name)


@pytest.mark.parametrize("name, text", [
    ("Flux", "try --name flux"),
    ("my_ext", "try --name my-ext"),
    ("a" * 254, "254 characters long: use at most 253"),
    ("", "--name is empty"),
])
def test_invalid_names(name, text):
    with pytest.raises((InvalidArgumentValueError, RequiredArgumentMissingError), match=text):
        validate_extension_name(name)


def test_fleets_accept_only_flux():
    check_fleet_extension_type("fleets", "Microsoft.Flux")
    check_fleet_extension_type("managedClusters", "microsoft.dapr")
    with pytest.raises(InvalidArgumentValueError,
                       match="Extension type 'microsoft.dapr' is not supported for cluster type 'fleets'"):
        check_fleet_extension_type("Fleets", "Microsoft.Dapr")


def test_empty_extension_type():
    with pytest.raises(RequiredArgumentMissingError, match="--extension-type is empty"):
        build_extension_create_body("  ", "managedClusters")

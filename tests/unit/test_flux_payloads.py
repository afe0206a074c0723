"""Pure builders of flux bodies, and the output shape."""
from azext_fluxlite.flux import payloads as fp
from azext_fluxlite.flux.format import dependency_order, kustomization_table, deployed_object_list_table
from azext_fluxlite.core.output import shape_flux_configuration, shape_extension


def test_create_body_matches_the_originals_bucket_example():
    body = fp.build_create_body(
        scope="cluster", namespace="default", suspend=False, source_kind="Bucket", block_key="bucket",
        block={"url": "https://s3.amazonaws.com", "bucketName": "b1", "insecure": False,
               "syncIntervalInSeconds": 60, "accessKey": "AK"},
        protected={"bucketSecretKey": "U0s="})
    assert body == {"properties": {
        "scope": "cluster", "namespace": "default", "sourceKind": "Bucket", "suspend": False,
        "bucket": {"url": "https://s3.amazonaws.com", "bucketName": "b1", "insecure": False,
                   "syncIntervalInSeconds": 60, "accessKey": "AK"},
        "kustomizations": {"kustomization-1": {"path": "", "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
                                               "prune": False, "force": False, "wait": True}},
        "configurationProtectedSettings": {"bucketSecretKey": "U0s="}}}


def test_update_body_holds_only_what_was_given():
    assert fp.build_update_body(source_blocks={"gitRepository": {}}) == {"properties": {"gitRepository": {}}}
    assert fp.build_update_body(suspend=True, source_kind="Bucket",
                                source_blocks={"gitRepository": None, "bucket": {"url": "u"}}) == {
        "properties": {"suspend": True, "sourceKind": "Bucket", "gitRepository": None, "bucket": {"url": "u"}}}


def test_kustomization_fields_create_defaults_and_update_minimal():
    assert fp.build_kustomization_fields(creating=True) == {"path": "", "wait": True}
    assert fp.build_kustomization_fields() == {}
    assert fp.build_kustomization_fields(disable_health_check=True) == {"wait": False}
    assert fp.build_kustomization_patch("a", None) == {"properties": {"kustomizations": {"a": None}}}


def test_flux_extension_install_body_per_cluster_type():
    assert fp.build_flux_extension_install_body("connectedClusters") == {
        "identity": {"type": "SystemAssigned"},
        "properties": {"extensionType": "microsoft.flux", "autoUpgradeMinorVersion": True}}
    assert fp.build_flux_extension_install_body("managedClusters") == {
        "properties": {"extensionType": "microsoft.flux", "autoUpgradeMinorVersion": True}}
    pinned = fp.build_flux_extension_install_body("managedClusters", release_train="preview", version="1.2.3")
    assert pinned["properties"] == {"extensionType": "microsoft.flux", "autoUpgradeMinorVersion": False,
                                    "releaseTrain": "preview", "version": "1.2.3"}


def test_output_is_flattened_complete_and_keeps_the_originals_key_names():
    out = shape_flux_configuration({"id": "/x", "name": "cfg", "properties": {
        "gitRepository": {"url": "u", "httpsCACert": "Q0E="}, "kustomizations": {"k": {"path": "./k"}},
        "complianceState": "Compliant", "newServiceField": 1}})
    assert out["complianceState"] == "Compliant" and out["name"] == "cfg"
    assert out["gitRepository"]["httpsCaCert"] == "Q0E=" and "httpsCACert" not in out["gitRepository"]
    assert out["kustomizations"]["k"]["prune"] is None
    assert out["bucket"] is None and out["statuses"] is None
    assert out["newServiceField"] == 1
    ext = shape_extension({"name": "flux", "properties": {"extensionType": "microsoft.flux"}})
    assert ext["extensionType"] == "microsoft.flux" and ext["version"] is None


def test_dependency_order_puts_dependencies_first_and_survives_cycles():
    ks = {"apps": {"dependsOn": ["infra"]}, "infra": {}, "web": {"dependsOn": ["apps", "gone"]}}
    assert dependency_order(ks) == ["infra", "apps", "web"]
    assert dependency_order({"a": {"dependsOn": ["b"]}, "b": {"dependsOn": ["a"]}}) == ["a", "b"]
    rows = kustomization_table({"apps": {"dependsOn": ["infra"], "syncIntervalInSeconds": 90}, "infra": {}})
    assert [r["name"] for r in rows] == ["infra", "apps"]
    assert rows[1]["syncInterval"] == "1m30s" and rows[1]["dependsOn"] == "infra"


def test_deployed_object_message_is_cut_at_60_and_null_safe():
    rows = deployed_object_list_table([
        {"kind": "HelmRelease", "statusConditions": [{"type": "Ready", "message": "x" * 70}]},
        {"kind": "HelmRelease", "statusConditions": [{"type": "Ready", "message": None}]},
        {"kind": "HelmRelease", "statusConditions": []}])
    assert rows[0]["message"] == "x" * 60 + "..."
    assert rows[1]["message"] == ""
    assert rows[2]["message"] == "None"

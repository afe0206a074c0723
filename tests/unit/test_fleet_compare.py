"""fleet/compare.py: does an existing configuration already equal the PUT body fleet apply would send?"""
from azext_fluxlite.fleet.compare import changed_fields


def desired(**props):
    body = {"scope": "cluster", "namespace": "cluster-config", "sourceKind": "GitRepository", "suspend": False,
            "gitRepository": {"url": "https://github.com/org/repo", "repositoryRef": {"branch": "main"}},
            "kustomizations": {"apps": {"path": "./apps", "prune": True}}}
    body.update(props)
    return {"properties": body}


def existing(**props):
    """What the service answers for desired(): defaults filled in, read-only fields present."""
    body = {"scope": "cluster", "namespace": "cluster-config", "sourceKind": "GitRepository", "suspend": False,
            "gitRepository": {"url": "https://github.com/org/repo", "timeoutInSeconds": 600,
                              "syncIntervalInSeconds": 600, "repositoryRef": {"branch": "main", "tag": None,
                                                                              "semver": None, "commit": None},
                              "sshKnownHosts": None, "httpsUser": None, "httpsCACert": None, "localAuthRef": None,
                              "provider": None},
            "kustomizations": {"apps": {"name": "apps", "path": "./apps", "dependsOn": [], "timeoutInSeconds": 600,
                                        "syncIntervalInSeconds": 600, "retryIntervalInSeconds": None,
                                        "prune": True, "force": False, "wait": True, "postBuild": None}},
            "configurationProtectedSettings": {}, "statuses": [{"name": "apps"}], "complianceState": "Compliant",
            "provisioningState": "Succeeded", "errorMessage": "", "sourceSyncedCommitId": "main@sha1:1",
            "repositoryPublicKey": ""}
    body.update(props)
    return {"id": "/x", "systemData": {"createdAt": "t"}, "properties": body}


def test_the_services_answer_to_the_same_body_is_unchanged():
    assert changed_fields(desired(), existing()) == []


def test_a_changed_branch_is_named():
    have = existing()
    have["properties"]["gitRepository"]["repositoryRef"]["branch"] = "dev"
    assert changed_fields(desired(), have) == ["gitRepository.repositoryRef.branch"]


def test_a_field_left_out_of_the_put_is_compared_with_its_default():
    # The cluster has prune=false via an explicit value; the desired body leaves prune out (default false).
    want = desired(kustomizations={"apps": {"path": "./apps"}})
    assert changed_fields(want, existing()) == ["kustomizations.apps.prune"]
    have = existing()
    have["properties"]["gitRepository"]["syncIntervalInSeconds"] = 60
    assert changed_fields(desired(), have) == ["gitRepository.syncIntervalInSeconds"]


def test_added_and_removed_kustomizations():
    want = desired(kustomizations={"infra": {"path": "./infra"}})
    assert changed_fields(want, existing()) == ["kustomizations.apps (removed)", "kustomizations.infra (added)"]


def test_protected_settings_are_not_compared_unless_rotating():
    want = desired(configurationProtectedSettings={"httpsKey": "c2VjcmV0"})
    assert changed_fields(want, existing()) == []
    assert changed_fields(want, existing(), rotate_secrets=True) == ["configurationProtectedSettings"]


def test_a_failed_configuration_is_written_again():
    assert changed_fields(desired(), existing(provisioningState="Failed")) == [
        "provisioningState (Failed: written again)"]


def test_scope_namespace_suspend_and_kind():
    assert changed_fields(desired(suspend=True), existing()) == ["suspend"]
    assert changed_fields(desired(namespace="other"), existing()) == ["namespace"]
    bucket = desired(sourceKind="Bucket", bucket={"url": "https://s3", "bucketName": "b"})
    del bucket["properties"]["gitRepository"]
    changes = changed_fields(bucket, existing())
    assert changes == ["sourceKind", "gitRepository", "bucket"]     # the old block goes, the new one comes

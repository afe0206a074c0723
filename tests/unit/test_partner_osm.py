"""Open Service Mesh: cluster scope only; on Arc, the tested-distribution check (internet only when needed)."""
import pytest

from azext_fluxlite.core.errors import InvalidArgumentValueError, ServiceError
from azext_fluxlite.extension.partners import handler_for

from tests.unit.partner_fakes import FakePrompts, cluster, create_args, side_calls

OSM = "microsoft.openservicemesh"
ARC = cluster("connectedClusters").resource_id


def run(distro="generic", location="eastus", web=None, ctype="connectedClusters", dry_run=False, **kwargs):
    client, calls = side_calls({("GET", ARC): {"location": location, "properties": {"distribution": distro}}},
                               dry_run=dry_run)
    fetched = []

    def fetch(url):
        fetched.append(url)
        answer = (web or {}).get(url)
        if isinstance(answer, Exception):
            raise answer
        return answer
    calls.fetch = fetch
    args = create_args(OSM, ctype, **kwargs)
    handler_for(OSM).create(args, calls, FakePrompts())
    return args, client, fetched, calls


def test_namespace_scope_is_refused():
    with pytest.raises(InvalidArgumentValueError, match=r"^--scope: Invalid scope 'namespace'\.  This extension"):
        run(scope="namespace")


def test_aks_makes_no_call_and_keeps_the_release_namespace():
    args, client, fetched, _ = run(ctype="managedClusters", release_namespace="osm", scope="cluster")
    assert client.sent == [] and fetched == []
    assert (args.scope, args.release_namespace, args.create_identity) == ("cluster", "osm", True)


def test_old_pinned_version_reads_the_cluster_only(caplog):
    _, client, fetched, _ = run(version="0.8.3")
    assert client.calls() == [("GET", ARC, "2021-10-01")]
    assert fetched == []
    assert '"testedDistros" field unavailable for version 0.8.3 of microsoft.openservicemesh' in caplog.text


def test_general_distro_warns_without_internet(caplog):
    _, _, fetched, _ = run(distro="general", version="1.2.0")
    assert fetched == []
    assert 'kubernetes distro: "general"' in caplog.text


def test_unpinned_version_looks_up_the_latest_tag_then_the_tested_distros(caplog):
    tags = "https://mcr.microsoft.com/v2/oss/openservicemesh/canary/stable/osm-arc/tags/list"
    values = "https://raw.githubusercontent.com/Azure/osm-azure/v1.2.3/charts/osm-arc/values.yaml"
    web = {tags: '{"tags": ["1.1.0", "1.2.3"]}', values: "OpenServiceMesh:\n  testedDistros: aks gke\n"}
    _, _, fetched, calls = run(distro="openshift", location="East US 2 EUAP", web=web, dry_run=True)
    assert fetched == [tags, values]
    assert [p.get("url") for p in calls.planned[1:]] == [tags, values]     # listed by --dry-run
    assert "Untested kubernetes distro for microsoft.openservicemesh, Kubernetes distro is openshift" in caplog.text


def test_unknown_version_is_an_error_naming_the_flag():
    with pytest.raises(InvalidArgumentValueError, match=r"^--version: Invalid version '9\.9\.9' for "):
        run(distro="aks", version="9.9.9", web={})


def test_offline_lookup_says_what_to_pass():
    tags = "https://mcr.microsoft.com/v2/oss/openservicemesh/batch1/stable/osm-arc/tags/list"
    with pytest.raises(ServiceError, match=r"Cannot reach mcr\.microsoft\.com .* pass --version"):
        run(web={tags: OSError("Name or service not known")})


def test_staging_train_without_version_needs_no_internet():
    _, _, fetched, _ = run(release_train="staging")
    assert fetched == []


def test_offline_tested_distro_lookup_of_a_given_version_does_not_ask_for_version():
    values = "https://raw.githubusercontent.com/Azure/osm-azure/v1.2.10/charts/osm-arc/values.yaml"
    with pytest.raises(ServiceError) as err:
        run(distro="aks", version="1.2.10", web={values: OSError("Name or service not known")})
    assert "Cannot reach raw.githubusercontent.com" in err.value.message
    assert "--version" not in err.value.message and "check the connection and try again." in err.value.message

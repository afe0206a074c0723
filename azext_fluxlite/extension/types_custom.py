"""`az k8s-extension extension-types ...`: read-only GETs of the extension type catalogue.

Requests match Microsoft's k8s-extension: api-version 2023-05-01-preview, filters as query
parameters only when given, `showLatest=false` always sent on the version lists.  Output is the
service's JSON as it was sent, in the originals' nested shape (`properties.supportedScopes...`, which
their tables read): no key is added, renamed or nulled.
"""
import copy
from urllib.parse import quote

from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.cluster import CONFIG_RP, EXTENSION_TYPE_CLUSTER_TYPES, canonical_cluster_type

from azext_fluxlite.core.arm import EXTENSION_TYPES_API_VERSION
from azext_fluxlite._az_arm import arm_client
from azext_fluxlite.extension.payloads import check_fleet_extension_type

def _q(value):
    return quote(str(value), safe="")


def _location_path(client, location, *segments):
    if not location or not str(location).strip():
        raise InvalidArgumentValueError("--location is empty: give an Azure region, e.g. --location eastus.")
    path = "/subscriptions/{}/providers/{}/locations/{}/extensionTypes".format(
        _q(client.subscription_id), CONFIG_RP, _q(str(location).strip()))
    return "/".join([path] + [_q(s) for s in segments])


def _cluster_path(client, resource_group_name, cluster_type, cluster_name, *segments):
    cluster_type = _extension_type_cluster_type(cluster_type)
    cluster = client.cluster(resource_group_name, cluster_type, cluster_name)
    path = cluster.child_path("extensionTypes")
    return "/".join([path] + [_q(s) for s in segments]), cluster


def _extension_type_cluster_type(cluster_type):
    canonical = canonical_cluster_type(cluster_type)
    if canonical not in EXTENSION_TYPE_CLUSTER_TYPES:
        raise InvalidArgumentValueError(
            "--cluster-type {} is not supported by extension-types commands: use one of {}.".format(
                canonical, ", ".join(EXTENSION_TYPE_CLUSTER_TYPES)))
    return canonical


def _params(**pairs):
    """Query parameters in the originals' order, skipping the ones not given; booleans as JSON."""
    out = {}
    for key, value in pairs.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return out


def _plan_filters(plan_publisher, plan_product, plan_name):
    return {"publisherId": plan_publisher, "offerId": plan_product, "planId": plan_name}


def _as_sent(item):
    return copy.deepcopy(item)


def _shape_types(items):
    return [_as_sent(item) for item in items]


def _shape_versions(items):
    return [_as_sent(item) for item in items]


# -- by location -------------------------------------------------------------------------------
def list_extension_types_by_location(cmd, location, plan_publisher=None, plan_product=None, plan_name=None,
                                     release_train=None, cluster_type=None):
    client = arm_client(cmd.cli_ctx)
    cluster_type = _extension_type_cluster_type(cluster_type) if cluster_type else None
    params = _params(**_plan_filters(plan_publisher, plan_product, plan_name), releaseTrain=release_train,
                     clusterType=cluster_type)
    return _shape_types(client.list_json(_location_path(client, location), EXTENSION_TYPES_API_VERSION, params))


def show_extension_type_by_location(cmd, location, extension_type):
    client = arm_client(cmd.cli_ctx)
    path = _location_path(client, location, extension_type)
    what = "extension type '{}' in location '{}'".format(extension_type, location)
    return _as_sent(client.get_json(path, EXTENSION_TYPES_API_VERSION, what=what))


def list_extension_type_versions_by_location(cmd, location, extension_type, release_train=None, cluster_type=None,
                                             major_version=None, show_latest=False):
    client = arm_client(cmd.cli_ctx)
    cluster_type = _extension_type_cluster_type(cluster_type) if cluster_type else None
    check_fleet_extension_type(cluster_type, extension_type)
    params = _params(releaseTrain=release_train, clusterType=cluster_type, majorVersion=major_version,
                     showLatest=bool(show_latest))
    path = _location_path(client, location, extension_type, "versions")
    return _shape_versions(client.list_json(path, EXTENSION_TYPES_API_VERSION, params))


def show_extension_type_version_by_location(cmd, location, extension_type, version):
    client = arm_client(cmd.cli_ctx)
    path = _location_path(client, location, extension_type, "versions", version)
    what = "version '{}' of extension type '{}' in location '{}'".format(version, extension_type, location)
    return _as_sent(client.get_json(path, EXTENSION_TYPES_API_VERSION, what=what))


# -- by cluster --------------------------------------------------------------------------------
def list_extension_types_by_cluster(cmd, resource_group_name, cluster_name, cluster_type, plan_publisher=None,
                                    plan_product=None, plan_name=None, release_train=None):
    client = arm_client(cmd.cli_ctx)
    path, cluster = _cluster_path(client, resource_group_name, cluster_type, cluster_name)
    params = _params(**_plan_filters(plan_publisher, plan_product, plan_name), releaseTrain=release_train)
    return _shape_types(client.list_json(path, EXTENSION_TYPES_API_VERSION, params, cluster=cluster))


def show_extension_type_by_cluster(cmd, resource_group_name, cluster_name, cluster_type, extension_type):
    check_fleet_extension_type(cluster_type, extension_type)
    client = arm_client(cmd.cli_ctx)
    path, cluster = _cluster_path(client, resource_group_name, cluster_type, cluster_name, extension_type)
    what = "extension type '{}'".format(extension_type)
    return _as_sent(client.get_json(path, EXTENSION_TYPES_API_VERSION, what=what, cluster=cluster))


def list_extension_type_versions_by_cluster(cmd, resource_group_name, cluster_name, cluster_type, extension_type,
                                            release_train=None, major_version=None, show_latest=False):
    check_fleet_extension_type(cluster_type, extension_type)
    client = arm_client(cmd.cli_ctx)
    path, cluster = _cluster_path(client, resource_group_name, cluster_type, cluster_name, extension_type,
                                  "versions")
    params = _params(releaseTrain=release_train, majorVersion=major_version, showLatest=bool(show_latest))
    return _shape_versions(client.list_json(path, EXTENSION_TYPES_API_VERSION, params, cluster=cluster))


def show_extension_type_version_by_cluster(cmd, resource_group_name, cluster_name, cluster_type, extension_type,
                                           version):
    check_fleet_extension_type(cluster_type, extension_type)
    client = arm_client(cmd.cli_ctx)
    path, cluster = _cluster_path(client, resource_group_name, cluster_type, cluster_name, extension_type,
                                  "versions", version)
    what = "version '{}' of extension type '{}'".format(version, extension_type)
    return _as_sent(client.get_json(path, EXTENSION_TYPES_API_VERSION, what=what, cluster=cluster))

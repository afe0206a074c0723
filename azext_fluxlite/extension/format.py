"""`-o table` for `az k8s-extension` and `az k8s-extension extension-types`.

Same columns as Microsoft's k8s-extension, with one fix: the original builds the publisher column
from a Python set, so its header and value swap places at random; here it is always a
`plan_publisher` column holding the publisher.
"""
from collections import OrderedDict


def _text(value):
    return "" if value is None else value


def _extension_row(result):
    plan = result.get("plan") or {}
    system_data = result.get("systemData") or {}
    return OrderedDict([
        ("name", _text(result.get("name"))),
        ("extensionType", _text(result.get("extensionType"))),
        ("version", _text(result.get("version"))),
        ("provisioningState", _text(result.get("provisioningState"))),
        ("lastModifiedAt", _text(system_data.get("lastModifiedAt"))),
        ("plan_name", _text(plan.get("name"))),
        ("plan_publisher", _text(plan.get("publisher"))),
        ("plan_product", _text(plan.get("product"))),
        ("isSystemExtension", _text(result.get("isSystemExtension"))),
    ])


def extension_list_table(result):
    return [_extension_row(item) for item in result or []]


def extension_show_table(result):
    return _extension_row(result or {})


def _cluster_scope_settings(scopes):
    """The service sends these flat (2023-05-01-preview) or as a proxy resource with `properties`."""
    flat = scopes.get("clusterScopeSettings") or {}
    nested = flat.get("properties") or {}
    return {key: flat.get(key) if flat.get(key) is not None else nested.get(key)
            for key in ("allowMultipleInstances", "defaultReleaseNamespace")}


def _extension_type_row(result):
    properties = result.get("properties") or {}
    scopes = properties.get("supportedScopes") or {}
    cluster_scope = _cluster_scope_settings(scopes)
    return OrderedDict([
        ("name", _text(result.get("name"))),
        ("defaultScope", _text(scopes.get("defaultScope"))),
        ("clusterTypes", ", ".join(properties.get("supportedClusterTypes") or [])),
        ("allowMultipleInstances", _text(cluster_scope["allowMultipleInstances"])),
        ("defaultReleaseNamespace", _text(cluster_scope["defaultReleaseNamespace"])),
    ])


def extension_type_list_table(result):
    return [_extension_type_row(item) for item in result or []]


def extension_type_show_table(result):
    return _extension_type_row(result or {})


def _version_row(result):
    return OrderedDict([("versions", _text((result.get("properties") or {}).get("version")))])


def extension_type_version_list_table(result):
    return [_version_row(item) for item in result or []]


def extension_type_version_show_table(result):
    return _version_row(result or {})

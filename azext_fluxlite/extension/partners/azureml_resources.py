"""The Azure resources of microsoft.azureml.kubernetes: Log Analytics workspace, Relay hybrid connection,
Service Bus topics; created when missing, their keys put into the protected settings."""
import hashlib

from azext_fluxlite.core.errors import AzureResponseError, FluxliteError, ResourceNotFoundError

from .base import is_true

WORKSPACE_API = "2021-12-01-preview"
SHARED_KEYS_API = "2020-08-01"
RELAY_API = "2017-04-01"
SERVICEBUS_API = "2026-01-01"
TAGS = {"created_by": "Azure Arc-enabled ML"}
RULE = "azureml_rw"
TSG = "Check https://aka.ms/arcmltsg for more information."
TOPICS = (("computestate-updatedby-computeprovider", "compute-scheduler-computestate"),
          ("jobstate-updatedby-computeprovider", "compute-scheduler-jobstate"))


def resource_name(cluster, suffix="", limit=50):
    """alnum of `{cluster}-{subscription}-{rg}{suffix}`, cut and made unique with an md5 suffix when long."""
    raw = "{}-{}-{}{}".format(cluster.cluster_name, cluster.subscription_id, cluster.resource_group, suffix)
    name = "".join(ch for ch in raw if ch.isalnum())
    if len(name) > limit:
        name = name[:limit - 6] + hashlib.md5(raw.encode("utf-8")).hexdigest()[:6]  # nosec - a name, not security
    return name


def _group(cluster):
    return "/subscriptions/{}/resourceGroups/{}/providers".format(cluster.subscription_id, cluster.resource_group)


def workspace_path(cluster):
    return "{}/Microsoft.OperationalInsights/workspaces/{}".format(_group(cluster), resource_name(cluster, limit=63))


def relay_paths(cluster):
    namespace = "{}/Microsoft.Relay/namespaces/{}".format(_group(cluster), resource_name(cluster, "-relay"))
    connection = "{}/hybridConnections/{}".format(namespace, cluster.cluster_name)
    return namespace, connection, "{}/authorizationRules/{}".format(connection, RULE)


def servicebus_path(cluster):
    return "{}/Microsoft.ServiceBus/namespaces/{}".format(_group(cluster), resource_name(cluster, "-service-bus"))


def log_analytics(calls, cluster, location, settings, protected):
    path = workspace_path(cluster)
    workspace = calls.get(path, WORKSPACE_API, missing_ok=True)
    if workspace is None:
        workspace = calls.send("PUT", path, WORKSPACE_API, {"location": location, "tags": TAGS},
                               what="Log Analytics workspace")
    keys = calls.send("POST", path + "/sharedKeys", SHARED_KEYS_API, dry_result={"primarySharedKey": "REDACTED"})
    settings["azure_log_analytics.enabled"] = "True"
    settings["azure_log_analytics.customer_id"] = (workspace.get("properties") or {}).get("customerId")
    protected["azure_log_analytics.connection_string"] = (keys or {}).get("primarySharedKey")


def relay(calls, cluster, location, settings, protected):
    namespace, connection, rule = relay_paths(cluster)
    if calls.get(connection, RELAY_API, missing_ok=True) is None:
        calls.send("PUT", namespace, RELAY_API, {"location": location, "tags": TAGS}, what="Relay namespace")
        calls.send("PUT", connection, RELAY_API, {"properties": {"requiresClientAuthorization": True}},
                   what="Relay hybrid connection")
        calls.send("PUT", rule, RELAY_API, {"properties": {"rights": ["Manage", "Send", "Listen"]}},
                   what="Relay authorization rule")
    keys = calls.send("POST", rule + "/listKeys", RELAY_API, dry_result={"primaryConnectionString": "REDACTED"})
    protected["relayServerConnectionString"] = (keys or {}).get("primaryConnectionString")
    settings["relayserver.hybridConnectionResourceID"] = connection
    settings["relayserver.hybridConnectionName"] = cluster.cluster_name


def service_bus(calls, cluster, location, settings, protected):
    namespace = servicebus_path(cluster)
    if calls.get(namespace, SERVICEBUS_API, missing_ok=True) is None:
        calls.send("PUT", namespace, SERVICEBUS_API, {"location": location, "sku": {"name": "STANDARD"}, "tags": TAGS},
                   what="Service Bus namespace")
        for topic, subscription in TOPICS:
            topic_path = "{}/topics/{}".format(namespace, topic)
            calls.send("PUT", topic_path, SERVICEBUS_API, {"properties": {
                "maxSizeInMegabytes": 5120, "defaultMessageTimeToLive": "P60D"}}, what="Service Bus topic")
            calls.send("PUT", "{}/subscriptions/{}".format(topic_path, subscription), SERVICEBUS_API, {"properties": {
                "maxDeliveryCount": 1, "defaultMessageTimeToLive": "P14D", "lockDuration": "PT30S"}},
                what="Service Bus subscription")
    rules = calls.get(namespace + "/authorizationRules", SERVICEBUS_API) or {}
    first = (rules.get("value") or [{}])[0].get("name") or "RootManageSharedAccessKey"
    keys = calls.send("POST", "{}/authorizationRules/{}/listKeys".format(namespace, first), SERVICEBUS_API,
                      dry_result={"primaryConnectionString": "REDACTED"})
    protected["serviceBusConnectionString"] = (keys or {}).get("primaryConnectionString")
    settings["servicebus.resourceID"] = namespace
    for topic, subscription in TOPICS:
        settings["servicebus.topicSubMapping." + topic] = subscription


def create_resources(calls, cluster, location, settings, protected):
    if is_true(settings.get("logAnalyticsWS")) and not protected.get("azure_log_analytics.connection_string"):
        log_analytics(calls, cluster, location, settings, protected)
    if str(settings.get("relayserver.enabled", "")).lower() != "false" and \
            not protected.get("relayServerConnectionString"):
        relay(calls, cluster, location, settings, protected)
    if str(settings.get("servicebus.enabled", "")).lower() != "false" and \
            not protected.get("serviceBusConnectionString"):
        service_bus(calls, cluster, location, settings, protected)


def refresh_keys(calls, cluster, original, settings, protected):
    """Update with protected settings: the keys are read again (nothing is created)."""
    if is_true(original.get("azure_log_analytics.enabled")):
        try:
            path = workspace_path(cluster)
            calls.get(path, WORKSPACE_API)
            keys = calls.send("POST", path + "/sharedKeys", SHARED_KEYS_API,
                              dry_result={"primarySharedKey": "REDACTED"})
            protected["azure_log_analytics.connection_string"] = (keys or {}).get("primarySharedKey")
        except FluxliteError:
            pass
    if str(original.get("relayserver.enabled", "false")).lower() != "false":
        _, connection, rule = relay_paths(cluster)
        keys = _keys(calls, connection, rule + "/listKeys", RELAY_API, "Relay server not found.",
                     "Failed to get relay connection string.")
        protected["relayServerConnectionString"] = keys.get("primaryConnectionString")
    if str(original.get("servicebus.enabled", "false")).lower() != "false":
        namespace = servicebus_path(cluster)
        rules_path = namespace + "/authorizationRules"
        keys = _keys(calls, namespace, None, SERVICEBUS_API, "Service bus not found.",
                     "Failed to get service bus connection string.", rules_path)
        protected["serviceBusConnectionString"] = keys.get("primaryConnectionString")


def _keys(calls, resource, keys_path, api, missing, failed, rules_path=None):  # pylint: disable=too-many-arguments
    try:
        calls.get(resource, api)
        if rules_path is not None:
            rules = calls.get(rules_path, api) or {}
            first = (rules.get("value") or [{}])[0].get("name") or "RootManageSharedAccessKey"
            keys_path = "{}/{}/listKeys".format(rules_path, first)
        return calls.send("POST", keys_path, api, dry_result={"primaryConnectionString": "REDACTED"}) or {}
    except ResourceNotFoundError:
        raise ResourceNotFoundError("--configuration-protected-settings: {}{}".format(missing, TSG)) from None
    except FluxliteError as exc:
        raise AzureResponseError("{}{} ({})".format(failed, TSG, exc)) from None

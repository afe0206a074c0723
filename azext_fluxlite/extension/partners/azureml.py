"""microsoft.azureml.kubernetes: training and/or inference, cluster scope in namespace `azureml`.

Create checks the option combinations (training or inference, HTTPS or explicit HTTP, router
service type), reads the cluster (location, size, distribution) for the defaults, and creates the
Azure resources the extension needs (Relay off AKS, optional Service Bus and Log Analytics).
"""
import base64

from azext_fluxlite.core.errors import (FileOperationError, InvalidArgumentValueError,
                                        MutuallyExclusiveArgumentError)

from .azureml_resources import TSG, create_resources, refresh_keys
from .base import DefaultHandler, logger

NAMESPACE = "azureml"
CLUSTER_APIS = {"connectedClusters": "2021-10-01", "managedClusters": "2022-11-01",
                "provisionedClusters": "2022-05-01-preview", "appliances": "2021-10-31-preview"}
TSG_WARNING = "Troubleshooting: https://aka.ms/arcmltsg"
SCOPE_ERROR = ("Invalid scope 'namespace'.  This extension can't be installed only at 'cluster' scope. " + TSG)
NONE_ENABLED = ("To create Microsoft.AzureML.Kubernetes extension, either enable Machine Learning training or inference "
                "by specifying '--configuration-settings enableTraining=true' or '--configuration-settings "
                "enableInference=true'. Please check https://aka.ms/arcmltsg for more information.")
NO_SSL = ("To enable HTTPs endpoint, either provide sslCertPemFile and sslKeyPemFile to "
          "--configuration-protected-settings, or provide sslSecret(kubernetes secret name) in --configuration-settings "
          "containing both ssl cert and ssl key under azureml namespace. Otherwise, to enable HTTP endpoint, "
          "explicitly set allowInsecureConnections=true.")
NO_CNAME = "To enable HTTPs endpoint, please specify sslCname parameter in --configuration-settings. " + TSG
BAD_ROUTER = ("To use inference, please specify inferenceRouterServiceType=ClusterIP or "
              "inferenceRouterServiceType=NodePort or inferenceRouterServiceType=LoadBalancer in "
              "--configuration-settings and also set internalLoadBalancerProvider=azure if your aks only supports "
              "internal load balancer." + TSG)
BAD_ROUTER_UPDATE = "inferenceRouterServiceType only supports NodePort or LoadBalancer or ClusterIP." + TSG
NODEPORT_ILB = ("When using nodePort as inferenceRouterServiceType, no need to specify "
                "internalLoadBalancerProvider." + TSG)
ROUTER_TYPES = ("nodeport", "loadbalancer", "clusterip")
IMPACT_KEYS = ("enableTraining", "enableInference", "installNvidiaDevicePlugin", "allowInsecureConnections",
               "inferenceRouterServiceType", "internalLoadBalancerProvider", "sslCname", "logAnalyticsWS")


def _get(settings, protected, key):
    return settings.get(key) if key in settings else protected.get(key)


def _flag(settings, protected, key):
    return str(_get(settings, protected, key) or "").strip().lower() == "true"


def _router(settings, protected, message):
    """Normalise the inference router type into the chart's flags."""
    kind = _get(settings, protected, "inferenceRouterServiceType")
    if kind is None:
        return
    if str(kind).lower() not in ROUTER_TYPES:
        raise InvalidArgumentValueError("--configuration-settings inferenceRouterServiceType: " + message)
    internal = str(_get(settings, protected, "internalLoadBalancerProvider") or "").lower() == "azure"
    if str(kind).lower() == "nodeport":
        if internal:
            raise MutuallyExclusiveArgumentError("--configuration-settings internalLoadBalancerProvider: " + NODEPORT_ILB)
        settings["scoringFe.serviceType.nodePort"] = "True"
    elif internal:
        settings["scoringFe.serviceType.internalLoadBalancer"] = "True"
        logger.warning("Internal load balancer only supported on AKS and AKS Engine Clusters.")


def _ssl(settings, protected):
    cert, key = protected.get("sslCertPemFile"), protected.get("sslKeyPemFile")
    if cert and key:
        for path, target in ((cert, "scoringFe.sslCert"), (key, "scoringFe.sslKey")):
            try:
                with open(path, "rb") as handle:
                    protected[target] = base64.b64encode(handle.read()).decode("ascii")
            except OSError as exc:
                raise FileOperationError("--configuration-protected-settings: cannot read '{}' ({}).".format(
                    path, exc.strerror or type(exc).__name__)) from None
    elif settings.get("sslSecret"):
        settings["scoringFe.sslSecret"] = settings["sslSecret"]


def check_create_settings(settings, protected):
    duplicates = sorted(set(settings) & set(protected))
    if duplicates:
        for key in duplicates:
            logger.warning("Key '%s' is in both --configuration-settings and --configuration-protected-settings.", key)
        raise InvalidArgumentValueError("--configuration-protected-settings: Duplicate keys found." + TSG)
    training, inference = _flag(settings, protected, "enableTraining"), _flag(settings, protected, "enableInference")
    if not training and not inference:
        raise InvalidArgumentValueError("--configuration-settings: " + NONE_ENABLED)
    if inference:
        if _flag(settings, protected, "isAKSMigration"):
            settings["scoringFe.namespace"] = "default"
            settings["isAKSMigration"] = "true"
        insecure = _flag(settings, protected, "allowInsecureConnections")
        has_files = protected.get("sslCertPemFile") and protected.get("sslKeyPemFile")
        if not (has_files or settings.get("sslSecret") or insecure):
            raise InvalidArgumentValueError("--configuration-settings allowInsecureConnections: " + NO_SSL)
        if not insecure and not _get(settings, protected, "sslCname"):
            raise InvalidArgumentValueError("--configuration-settings sslCname: " + NO_CNAME)
        kind = _get(settings, protected, "inferenceRouterServiceType")
        if kind is None or str(kind).lower() not in ROUTER_TYPES:
            raise InvalidArgumentValueError("--configuration-settings inferenceRouterServiceType: " + BAD_ROUTER)
        _router(settings, protected, BAD_ROUTER)
        if insecure:
            logger.warning("SSL is not enabled. Allowing insecure connections to the deployed services.")
        else:
            _ssl(settings, protected)
    for key, value in (("enableTraining", training), ("enableInference", inference)):
        if key in protected:
            settings.setdefault(key, protected.pop(key))
        settings.setdefault(key, "True" if value else "False")


def _cluster_facts(calls, args, settings):
    cluster = args.cluster
    body = calls.get(cluster.resource_id, CLUSTER_APIS.get(args.cluster_type, "2021-10-01"),
                     what="cluster '{}'".format(cluster.cluster_name))
    properties = body.get("properties") or {}
    try:
        if args.cluster_type == "managedClusters":
            nodes = sum(int(pool.get("count") or 0) for pool in properties.get("agentPoolProfiles") or [])
        else:
            nodes = int(properties["totalNodeCount"])
        if nodes < 3:
            settings.setdefault("clusterPurpose", "DevTest")
            settings.setdefault("inferenceRouterHA", "false")
    except (KeyError, TypeError, ValueError):
        pass
    if str(properties.get("distribution") or "").lower() == "openshift":
        settings["openshift"] = "true"
    return (body.get("location") or "").replace(" ", "").lower()


def dereference(settings, protected):
    for source, aliases in (("relayServerConnectionString", ("relayserver.relayConnectionString",)),
                            ("serviceBusConnectionString", ("servicebus.connectionString",)),
                            ("cluster_name", ("clusterId", "prometheus.prometheusSpec.externalLabels.cluster_name"))):
        for mapping in (settings, protected):
            if source in mapping:
                for alias in aliases:
                    mapping.setdefault(alias, mapping[source])


class AzureMLHandler(DefaultHandler):

    def create(self, args, calls, prompts):
        logger.warning(TSG_WARNING)
        if (args.scope or "").lower() == "namespace":
            raise InvalidArgumentValueError("--scope: " + SCOPE_ERROR)
        args.scope, args.release_namespace, args.target_namespace = "cluster", NAMESPACE, None
        args.release_train = args.release_train or "stable"
        settings, protected = args.settings, args.protected
        check_create_settings(settings, protected)
        location = _cluster_facts(calls, args, settings)
        cluster = args.cluster
        for key, value in (("cluster_name", cluster.resource_id), ("domain", "{}.cloudapp.azure.com".format(location)),
                           ("location", location), ("jobSchedulerLocation", location),
                           ("cluster_name_friendly", cluster.cluster_name), ("servicebus.enabled", "false")):
            settings.setdefault(key, value)
        managed = args.cluster_type == "managedClusters"
        settings.setdefault("relayserver.enabled", "false" if managed else "true")
        settings.setdefault("nginxIngress.enabled", "true" if managed else "false")
        create_resources(calls, cluster, location, settings, protected)
        dereference(settings, protected)
        return args

    def update(self, args, calls, prompts):
        logger.warning(TSG_WARNING)
        settings = args.settings if args.settings is not None else {}
        protected = args.protected if args.protected is not None else {}
        _router(settings, protected, BAD_ROUTER_UPDATE)
        if args.settings:
            impacts = [key for key in settings if key in IMPACT_KEYS or "nodeSelector" in key]
            if impacts:
                prompts.confirm("The following configuration update will IMPACT your active Machine Learning "
                                "workloads ({}). Proceed?".format(", ".join(sorted(impacts))))
        if args.protected:
            original = args.original.get("configurationSettings") or {}
            refresh_keys(calls, args.cluster, original, settings, protected)
            dereference(settings, protected)
            _ssl(settings, protected)
        args.settings, args.protected = settings, protected
        return args

    def delete(self, name, cluster, existing, calls, prompts):
        logger.warning(TSG_WARNING)
        super().delete(name, cluster, existing, calls, prompts)

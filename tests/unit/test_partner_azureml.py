"""Azure Machine Learning: option checks, cluster facts, Relay/Service Bus/Log Analytics resources."""
import pytest

from azext_fluxlite.core.errors import InvalidArgumentValueError, MutuallyExclusiveArgumentError
from azext_fluxlite.extension.partners import handler_for

from tests.unit.partner_fakes import SUB, FakePrompts, cluster, create_args, side_calls, update_args

AML = "microsoft.azureml.kubernetes"
ARC, AKS = cluster("connectedClusters"), cluster("managedClusters")
RELAY_NS = "/subscriptions/{0}/resourceGroups/rg1/providers/Microsoft.Relay/namespaces/c1{1}rg1relay".format(
    SUB, SUB.replace("-", ""))


def create(settings, protected=None, ctype="connectedClusters", body=None, **kwargs):
    c = cluster(ctype)
    client, calls = side_calls({("GET", c.resource_id): body or {"location": "East US", "properties": {
        "totalNodeCount": 1, "agentPoolProfiles": [{"count": 1}]}}})
    args = create_args(AML, ctype, settings=settings, protected=protected, **kwargs)
    handler_for(AML).create(args, calls, FakePrompts())
    return args, client


@pytest.mark.parametrize("settings, protected, error, message", [
    ({}, {}, InvalidArgumentValueError, "either enable Machine Learning training or inference"),
    ({"enableInference": "true"}, {}, InvalidArgumentValueError, "explicitly set allowInsecureConnections=true"),
    ({"enableInference": "true", "sslSecret": "s"}, {}, InvalidArgumentValueError, "please specify sslCname"),
    ({"enableInference": "true", "allowInsecureConnections": "true"}, {}, InvalidArgumentValueError,
     "inferenceRouterServiceType=ClusterIP or"),
    ({"enableInference": "true", "allowInsecureConnections": "true", "inferenceRouterServiceType": "NodePort",
      "internalLoadBalancerProvider": "azure"}, {}, MutuallyExclusiveArgumentError,
     "When using nodePort as inferenceRouterServiceType, no need to specify internalLoadBalancerProvider."),
    ({"enableTraining": "true", "a": "1"}, {"a": "2"}, InvalidArgumentValueError, "Duplicate keys found."),
])
def test_option_conflicts_are_refused_before_any_call(settings, protected, error, message):
    client, calls = side_calls()
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        handler_for(AML).create(create_args(AML, settings=settings, protected=protected), calls, FakePrompts())
    assert client.sent == []


def test_namespace_scope_is_refused():
    with pytest.raises(InvalidArgumentValueError, match=r"^--scope: Invalid scope 'namespace'\."):
        create({"enableTraining": "true"}, scope="namespace")


def test_training_on_arc_creates_the_relay_and_fills_the_defaults():
    args, client = create({"enableTraining": "true"})
    hc = RELAY_NS + "/hybridConnections/c1"
    rule = hc + "/authorizationRules/azureml_rw"
    assert client.calls() == [
        ("GET", ARC.resource_id, "2021-10-01"), ("GET", hc, "2017-04-01"), ("PUT", RELAY_NS, "2017-04-01"),
        ("PUT", hc, "2017-04-01"), ("PUT", rule, "2017-04-01"), ("POST", rule + "/listKeys", "2017-04-01")]
    assert client.sent[2][3] == {"location": "eastus", "tags": {"created_by": "Azure Arc-enabled ML"}}
    s = args.settings
    assert (args.scope, args.release_namespace, args.release_train) == ("cluster", "azureml", "stable")
    assert s["enableTraining"] == "true" and s["enableInference"] == "False"
    assert (s["clusterPurpose"], s["inferenceRouterHA"]) == ("DevTest", "false")
    assert (s["domain"], s["location"], s["jobSchedulerLocation"]) == ("eastus.cloudapp.azure.com", "eastus", "eastus")
    assert s["cluster_name"] == s["clusterId"] == ARC.resource_id
    assert (s["relayserver.enabled"], s["nginxIngress.enabled"], s["servicebus.enabled"]) == ("true", "false", "false")
    assert s["relayserver.hybridConnectionResourceID"] == hc


def test_inference_on_aks_needs_no_relay_and_keeps_the_users_domain():
    args, client = create({"enableInference": "true", "allowInsecureConnections": "true", "domain": "ml.example.com",
                           "inferenceRouterServiceType": "nodePort"}, ctype="managedClusters")
    assert client.calls() == [("GET", AKS.resource_id, "2022-11-01")]
    s = args.settings
    assert s["domain"] == "ml.example.com"           # the original overwrites it (misspelt lookup key)
    assert s["scoringFe.serviceType.nodePort"] == "True"
    assert (s["relayserver.enabled"], s["nginxIngress.enabled"]) == ("false", "true")


def test_update_with_protected_settings_reads_the_relay_keys_again():
    hc = RELAY_NS + "/hybridConnections/c1"
    client, calls = side_calls({("GET", hc): {"id": hc}})
    args = update_args({"extensionType": AML, "configurationSettings": {"relayserver.enabled": "true",
                                                                        "servicebus.enabled": "false"}},
                       settings={}, protected={"x": "y"})
    handler_for(AML).update(args, calls, FakePrompts())
    assert [(m, p) for m, p, _ in client.calls()] == [
        ("GET", hc), ("POST", hc + "/authorizationRules/azureml_rw/listKeys")]
    assert "relayserver.relayConnectionString" in args.protected


def test_update_of_an_impacting_setting_asks_first():
    prompts = FakePrompts()
    args = update_args({"extensionType": AML}, settings={"enableInference": "false"}, protected={})
    handler_for(AML).update(args, side_calls()[1], prompts)
    assert prompts.confirmed and "IMPACT" in prompts.confirmed[0]

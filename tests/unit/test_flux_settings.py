"""The microsoft.flux --config keys (k8s-extension.md §9), written out from the documentation."""
import logging

import pytest
from azext_fluxlite.core.errors import InvalidArgumentValueError
from azext_fluxlite.extension.flux_settings import check_extension_settings, check_flux_settings

OPTION = "--config/--configuration-settings"
CONTROLLERS = ["source-controller", "helm-controller", "kustomize-controller", "notification-controller",
               "image-automation-controller", "image-reflector-controller"]
# Every documented key with a documented example value.
DOCUMENTED = dict(
    [(c + ".enabled", "false") for c in CONTROLLERS] +
    [(c + ".log-level", "debug") for c in CONTROLLERS] +
    [("fluxconfig-agent.log-level", "error"), ("fluxconfig-controller.log-level", "info"),
     ("multiTenancy.enforce", "false"), ("useKubeletIdentity", "true"), ("workloadIdentity.enable", "true"),
     ("workloadIdentity.azureClientId", "6b1e3e3c-8a5f-4e0e-9f3a-2a8c1d7e4b10"),
     ("helm-controller.detectDrift", "true"), ("helm-controller.outOfMemoryWatch.enabled", "true"),
     ("helm-controller.outOfMemoryWatch.memoryThreshold", "70"), ("helm-controller.outOfMemoryWatch.interval", "700ms"),
     ("source-controller.ssh-host-key-args", "--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256"),
     ("image-automation-controller.ssh-host-key-args", "--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256"),
     ("source-controller.resources.limits.memory", "2Gi"), ("source-controller.resources.requests.memory", "300Mi"),
     ("kustomize-controller.resources.limits.memory", "2Gi"), ("kustomize-controller.resources.limits.cpu", "2000m"),
     ("kustomize-controller.concurrent", "6"), ("kustomize-controller.requeue-dependency", "50s"),
     ("kustomize-controller.enable-in-memory-build", "true"), ("kustomize-controller.strict-substitution-mode", "true"),
     ("setKubeServiceHostFqdn", "true")])


def test_every_documented_key_and_example_is_known(caplog):
    with caplog.at_level(logging.WARNING):
        assert check_flux_settings(DOCUMENTED, OPTION) == []
    assert caplog.records == []


@pytest.mark.parametrize("key,value", [
    ("helm-controller.enabled", "maybe"), ("helm-controller.enabled", ""), ("source-controller.log-level", "verbose"),
    ("source-controller.log-level", "INFO"), ("fluxconfig-controller.log-level", "debug"),
    ("helm-controller.outOfMemoryWatch.memoryThreshold", "0"),
    ("helm-controller.outOfMemoryWatch.memoryThreshold", "70%"), ("helm-controller.outOfMemoryWatch.interval", "1"),
    ("kustomize-controller.concurrent", "0"), ("source-controller.resources.limits.memory", "lots"),
    ("workloadIdentity.azureClientId", "my-identity"),
])
def test_a_bad_value_of_a_known_key_is_one_error_naming_the_option(key, value):
    with pytest.raises(InvalidArgumentValueError) as err:
        check_flux_settings({key: value}, OPTION)
    message = str(err.value)
    assert message.startswith("{} '{}={}'".format(OPTION, key, value))
    assert "\n" not in message and "give " in message


def test_an_unknown_key_warns_once_with_the_closest_key_and_is_returned(caplog):
    with caplog.at_level(logging.WARNING):
        unknown = check_flux_settings({"helm-controller.detectdrift": "true", "my.own.key": "x"}, OPTION)
    assert unknown == ["helm-controller.detectdrift", "my.own.key"]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[0].endswith("Did you mean 'helm-controller.detectDrift'?")
    assert "Did you mean" not in messages[1]


def test_only_microsoft_flux_is_checked_and_the_file_option_is_named():
    check_extension_settings("microsoft.dapr", {"log-level": "verbose"}, True, False)
    with pytest.raises(InvalidArgumentValueError, match="^--config-settings-file "):
        check_extension_settings("Microsoft.Flux", {"helm-controller.enabled": "maybe"}, False, True)
    with pytest.raises(InvalidArgumentValueError, match="^--config/--configuration-settings "):
        check_extension_settings("microsoft.flux", {"helm-controller.enabled": "maybe"}, True, True)

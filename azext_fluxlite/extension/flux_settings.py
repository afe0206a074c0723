"""The documented `--config` keys of the microsoft.flux extension and their value types.

k8s-extension.md §9 lists them (service-side Helm values; the originals pass everything through
unchecked, and the service silently ignores a key it does not know).  fluxlite:

* a known key with a value of the wrong type (`log-level=verbose`, `enabled=maybe`) is an error
  naming the option: the extension would install with a broken or ignored setting;
* an unknown key gets a WARNING with the closest known keys ("did you mean ...") and is still sent:
  newer extension versions add keys this list cannot know.

Pure: no az, no I/O; warnings go to the `cli.azext_fluxlite...` logger, which az prints.
"""
import difflib
import logging
import re

from azext_fluxlite.core.display import shown
from azext_fluxlite.core.errors import InvalidArgumentValueError

logger = logging.getLogger("cli." + __name__)

FLUX_EXTENSION_TYPE = "microsoft.flux"
CONTROLLERS = ("source-controller", "helm-controller", "kustomize-controller", "notification-controller",
               "image-automation-controller", "image-reflector-controller")
AGENTS = ("fluxconfig-agent", "fluxconfig-controller")

_BOOL = ("true", "false")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# A Kubernetes resource quantity (2Gi, 300Mi, 2000m, 0.5, 1e3).
_QUANTITY = re.compile(r"[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?")
# A Go duration as the controllers parse it (700ms, 50s, 1m30s, 1.5h).
_GO_DURATION = re.compile(r"([0-9]+(\.[0-9]+)?(ns|us|\u00b5s|ms|s|m|h))+")


def _boolean(value):
    if value.strip().lower() in _BOOL:
        return None
    return "true or false"


def _one_of(*choices):
    def check(value):
        return None if value in choices else " or ".join(", ".join(choices).rsplit(", ", 1))
    return check


def _integer(low=None, high=None):
    def check(value):
        if re.fullmatch(r"[0-9]+", value.strip()) and (low is None or int(value) >= low) and \
                (high is None or int(value) <= high):
            return None
        if low is not None and high is not None:
            return "a whole number from {} to {}".format(low, high)
        return "a whole number of at least {}".format(low) if low is not None else "a whole number"
    return check


def _pattern(regex, what):
    def check(value):
        return None if regex.fullmatch(value.strip()) else what
    return check


def _any(_value):
    return None


def _known_keys():
    keys = {}
    for controller in CONTROLLERS:
        keys[controller + ".enabled"] = _boolean
        keys[controller + ".log-level"] = _one_of("debug", "info", "error")
        for kind in ("limits", "requests"):
            for resource in ("cpu", "memory"):
                keys["{}.resources.{}.{}".format(controller, kind, resource)] = _pattern(
                    _QUANTITY, "a Kubernetes quantity such as 2Gi, 300Mi or 500m")
    for agent in AGENTS:
        keys[agent + ".log-level"] = _one_of("info", "error")
    for controller in ("source-controller", "image-automation-controller"):
        keys[controller + ".ssh-host-key-args"] = _any
    keys.update({
        "multiTenancy.enforce": _boolean,
        "useKubeletIdentity": _boolean,
        "workloadIdentity.enable": _boolean,
        "workloadIdentity.azureClientId": _pattern(_GUID, "a client ID (GUID) of a user-assigned identity"),
        "helm-controller.detectDrift": _boolean,
        "helm-controller.outOfMemoryWatch.enabled": _boolean,
        "helm-controller.outOfMemoryWatch.memoryThreshold": _integer(1, 100),
        "helm-controller.outOfMemoryWatch.interval": _pattern(_GO_DURATION, "a duration such as 500ms or 1s"),
        "kustomize-controller.concurrent": _integer(1),
        "kustomize-controller.requeue-dependency": _pattern(_GO_DURATION, "a duration such as 30s or 1m"),
        "kustomize-controller.enable-in-memory-build": _boolean,
        "kustomize-controller.strict-substitution-mode": _boolean,
        "setKubeServiceHostFqdn": _boolean,
    })
    return keys


KNOWN_KEYS = _known_keys()


def is_flux(extension_type):
    return str(extension_type or "").strip().lower() == FLUX_EXTENSION_TYPE


def check_flux_settings(settings, option):
    """Check microsoft.flux configuration settings ({key: value}); warn about unknown keys.

    Raises InvalidArgumentValueError naming `option` for a known key with a bad value.
    Returns the unknown keys (still to be sent).
    """
    unknown = []
    for key, value in (settings or {}).items():
        check = KNOWN_KEYS.get(key)
        if check is None:
            unknown.append(key)
            continue
        expected = check(str(value))
        if expected:
            raise InvalidArgumentValueError(
                "{} {}: {} is not a valid value for the microsoft.flux setting {}; give {}.".format(
                    option, shown("{}={}".format(key, value)), shown(value), shown(key), expected))
    for key in unknown:
        close = difflib.get_close_matches(key, list(KNOWN_KEYS), n=1, cutoff=0.75)
        hint = " Did you mean {}?".format(" or ".join(shown(k) for k in close)) if close else ""
        logger.warning("%s: %s is not a documented microsoft.flux setting; it is sent as given, and an extension "
                       "version that does not know it ignores it.%s", option, shown(key), hint)
    return unknown


def check_extension_settings(extension_type, settings, options_given, file_given):
    """`k8s-extension create|update`: check `settings` when the extension type is microsoft.flux.

    The message names --config/--configuration-settings, or --config-settings-file when only the
    file gave settings.
    """
    if not is_flux(extension_type) or not settings:
        return []
    option = "--config-settings-file" if file_given and not options_given else "--config/--configuration-settings"
    return check_flux_settings(settings, option)

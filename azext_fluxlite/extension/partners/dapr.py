"""microsoft.dapr: cluster scope only, no identity, an existing Helm release can be taken over.

Create: `--scope namespace` is refused; the release name and namespace default to the extension
name (else `dapr`) and `dapr-system`; an existing Dapr (named by the settings
existingDaprReleaseName and existingDaprReleaseNamespace, or answered at the prompt) becomes the
extension (its release name is the extension name) with `global.ha.enabled=false` unless given;
on AKS `global.clusterType=managedclusters` is added; the release train defaults to `stable`.
Update sets `hooks.applyCrds` (false when the CRDs must not be re-applied: downgrade, same version,
or auto-upgrade staying on).  No side calls.
"""
from azext_fluxlite.core.errors import InvalidArgumentValueError

from .base import DefaultHandler, logger
from .versions import compare_versions

DEFAULT_NAME = "dapr"
DEFAULT_NAMESPACE = "dapr-system"
SKIP_CHECK = "skipExistingDaprCheck"
EXISTING_NAME = "existingDaprReleaseName"
EXISTING_NAMESPACE = "existingDaprReleaseNamespace"
APPLY_CRDS = "hooks.applyCrds"
HA = "global.ha.enabled"
CLUSTER_TYPE = "global.clusterType"

SCOPE_ERROR = ("Invalid scope 'namespace'. This extension can be installed only at 'cluster' scope. "
               "Check https://learn.microsoft.com/en-us/azure/aks/dapr for more information.")
EXISTING_WARNING = (
    "Dapr is already installed in the cluster: the extension takes over the Helm release '{}' in namespace '{}'. "
    "High availability mode is turned off unless you set global.ha.enabled; if the existing installation used "
    "other Helm values, give them again with --configuration-settings, or they are reset to their defaults.")
ONLY_ONE_WARNING = ("Both 'existingDaprReleaseName' and 'existingDaprReleaseNamespace' must be specified via "
                    "--configuration-settings. Only one of them is specified, ignoring.")
PROMPT_INSTALLED = "Is Dapr already installed in the cluster?"
PROMPT_NAME = "Enter the Helm release name for Dapr, or press Enter to use the default name [{}]: "
PROMPT_NAMESPACE = "Enter the namespace where Dapr is installed, or press Enter to use the default namespace [{}]: "
PROMPT_HELP = "The Helm release name and namespace can be found by running 'helm list -A'."
NO_TTY_HINT = ("pass --configuration-settings skipExistingDaprCheck=true, or name the existing release with "
               "--configuration-settings existingDaprReleaseName=<name> existingDaprReleaseNamespace=<namespace>")


class DaprHandler(DefaultHandler):

    def create(self, args, calls, prompts):
        if (args.scope or "").lower() == "namespace":
            raise InvalidArgumentValueError("--scope: " + SCOPE_ERROR)
        name = args.name or DEFAULT_NAME
        namespace = args.release_namespace or DEFAULT_NAMESPACE
        name, namespace, existing = self._release(args, name, namespace, prompts)
        settings = args.settings
        if existing:
            logger.warning(EXISTING_WARNING.format(name, namespace))
            settings.setdefault(HA, "false")
        if (args.cluster_type or "").lower() in ("managedclusters", ""):
            settings[CLUSTER_TYPE] = "managedclusters"
        args.name = name
        args.scope = "cluster"
        args.release_namespace = namespace
        args.target_namespace = None
        args.release_train = args.release_train or "stable"
        args.create_identity = False
        return args

    @staticmethod
    def _release(args, name, namespace, prompts):
        settings = args.settings
        if str(settings.get(SKIP_CHECK, "")) == "true":
            return name, namespace, False
        old_name, old_namespace = settings.get(EXISTING_NAME), settings.get(EXISTING_NAMESPACE)
        if old_name and old_namespace:
            return old_name, old_namespace, True
        if old_name or old_namespace:
            logger.warning(ONLY_ONE_WARNING)
        if not prompts.yes_no(PROMPT_INSTALLED, default="n", no_tty_hint=NO_TTY_HINT):
            return name, namespace, False
        old_name = prompts.text(PROMPT_NAME.format(name), help_string=PROMPT_HELP, no_tty_hint=NO_TTY_HINT) or name
        if old_name != name:
            logger.warning("The extension will be named '%s', the Helm release name of Dapr, instead of '%s'.",
                           old_name, name)
        old_namespace = prompts.text(PROMPT_NAMESPACE.format(namespace), help_string=PROMPT_HELP,
                                     no_tty_hint=NO_TTY_HINT) or namespace
        if old_namespace != namespace:
            logger.warning("The release namespace will be '%s', where Dapr is installed, instead of '%s'.",
                           old_namespace, namespace)
        return old_name, old_namespace, True

    def update(self, args, calls, prompts):
        settings = args.settings if args.settings is not None else {}
        if APPLY_CRDS not in settings:
            settings[APPLY_CRDS] = self._apply_crds(args)
        args.settings = settings
        return args

    @staticmethod
    def _apply_crds(args):
        original = args.original
        if original.get("autoUpgradeMinorVersion") and args.auto_upgrade_minor_version is not True:
            return "false"
        old_version, new_version = original.get("version"), args.version
        if old_version and new_version:
            order = compare_versions(new_version, old_version)
            if order is None or order <= 0:
                return "false"
        return "true"

"""Cluster types and the ARM path of a cluster (pure: no I/O)."""
from dataclasses import dataclass
from urllib.parse import quote

from azext_fluxlite.core.errors import InvalidArgumentValueError, RequiredArgumentMissingError

HYBRID_RP = "microsoft.hybridcontainerservice"
CONFIG_RP = "Microsoft.KubernetesConfiguration"

# --cluster-type value (canonical spelling) -> cluster resource provider in the URL.
_CLUSTER_RPS = {
    "connectedClusters": "Microsoft.Kubernetes",
    "managedClusters": "Microsoft.ContainerService",
    "provisionedClusters": HYBRID_RP,   # always this lower-case constant, as the originals send
    "appliances": "Microsoft.ResourceConnector",
    "fleets": "Microsoft.ContainerService",
}

FLUX_CLUSTER_TYPES = ["connectedClusters", "managedClusters", "provisionedClusters"]
EXTENSION_CLUSTER_TYPES = ["connectedClusters", "managedClusters", "fleets", "appliances", "provisionedClusters"]
EXTENSION_TYPE_CLUSTER_TYPES = ["connectedClusters", "managedClusters", "fleets", "appliances"]


def canonical_cluster_type(cluster_type):
    for known in _CLUSTER_RPS:
        if known.lower() == (cluster_type or "").lower():
            return known
    raise InvalidArgumentValueError(
        "--cluster-type '{}' is not supported. Use one of: {}.".format(cluster_type, ", ".join(_CLUSTER_RPS)))


def resolve_cluster_rp(cluster_type, cluster_rp=None):
    """Return (cluster_rp, cluster_type) for the URL, checking --cluster-resource-provider."""
    cluster_type = canonical_cluster_type(cluster_type)
    expected = _CLUSTER_RPS[cluster_type]
    given = (cluster_rp or "").strip()
    if cluster_type == "provisionedClusters":
        if not given:
            raise RequiredArgumentMissingError(
                "--cluster-resource-provider is required with --cluster-type provisionedClusters: "
                "add --cluster-rp {}.".format(HYBRID_RP))
        if given.lower() != HYBRID_RP:
            raise InvalidArgumentValueError(
                "--cluster-resource-provider '{}' does not fit --cluster-type provisionedClusters: "
                "use --cluster-rp {}.".format(given, HYBRID_RP))
    elif given and given.lower() != expected.lower():
        # The originals silently ignore it; a value that contradicts the cluster type is a mistake.
        raise InvalidArgumentValueError(
            "--cluster-resource-provider '{}' does not fit --cluster-type {} (its provider is {}): "
            "remove --cluster-rp.".format(given, cluster_type, expected))
    return expected, cluster_type


def arm_id(subscription, resource_group, provider, *segments):
    """The ARM id of a resource: /subscriptions/S/resourceGroups/G/providers/P/type/name[/type/name...]."""
    return "/subscriptions/{}/resourceGroups/{}/providers/{}".format(
        subscription, resource_group, "/".join((provider,) + tuple(segments)))


@dataclass(frozen=True)
class ClusterRef:
    subscription_id: str
    resource_group: str
    cluster_rp: str
    cluster_type: str
    cluster_name: str

    @property
    def display(self):
        return "{}/{}/{}".format(self.cluster_rp, self.cluster_type, self.cluster_name)

    @property
    def resource_id(self):
        return "/subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}".format(
            _q(self.subscription_id), _q(self.resource_group), self.cluster_rp, self.cluster_type,
            _q(self.cluster_name))

    def child_path(self, collection, name=None):
        """ARM path of a Microsoft.KubernetesConfiguration child resource (or collection)."""
        path = "{}/providers/{}/{}".format(self.resource_id, CONFIG_RP, collection)
        if name is not None:
            path += "/" + _q(name)
        return path

    def sdk_args(self):
        return dict(resource_group_name=self.resource_group, cluster_rp=self.cluster_rp,
                    cluster_resource_name=self.cluster_type, cluster_name=self.cluster_name)


def _q(value):
    return quote(str(value), safe="")

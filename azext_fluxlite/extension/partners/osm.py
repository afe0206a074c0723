"""microsoft.openservicemesh: cluster scope only; on Arc clusters, a check that the distribution was tested.

The check (connected clusters only) reads the cluster's location and distribution, finds the version
to install (the newest tag of the release train on mcr.microsoft.com when --version is not given and
the train is not staging) and reads that version's chart values on raw.githubusercontent.com for its
tested distributions.  Only those two look-ups need the internet, and only when the original makes
them; offline they fail with an error that says what to pass instead.
"""
from azext_fluxlite.core.errors import InvalidArgumentValueError

from .base import DefaultHandler, logger
from .versions import compare_versions

EXTENSION_TYPE = "microsoft.openservicemesh"
CONNECTED_API = "2021-10-01"
TAGS_URL = "https://mcr.microsoft.com/v2/oss/openservicemesh/{ring}/{train}/osm-arc/tags/list"
VALUES_URL = "https://raw.githubusercontent.com/Azure/osm-azure/v{version}/charts/osm-arc/values.yaml"
LAST_WITHOUT_TESTED_DISTROS = "0.8.3"

SCOPE_ERROR = "Invalid scope 'namespace'.  This extension can be installed only at 'cluster' scope."
UNAVAILABLE = ("\"testedDistros\" field unavailable for version {} of microsoft.openservicemesh, cannot determine "
               "if this Kubernetes distribution has been properly tested")
GENERAL = ("Unable to determine if distro has been tested for microsoft.openservicemesh, kubernetes distro: "
           "\"general\"")
UNTESTED = "Untested kubernetes distro for microsoft.openservicemesh, Kubernetes distro is {}"


class OpenServiceMeshHandler(DefaultHandler):

    def create(self, args, calls, prompts):
        if (args.scope or "").lower() == "namespace":
            raise InvalidArgumentValueError("--scope: " + SCOPE_ERROR)
        args.scope = "cluster"
        args.target_namespace = None
        if args.cluster_type == "connectedClusters":
            self._check_tested_distro(args, calls)
        return args

    @staticmethod
    def _check_tested_distro(args, calls):
        cluster = calls.get(args.cluster.resource_id, CONNECTED_API)
        location = (cluster.get("location") or "").replace(" ", "").lower()
        distro = (cluster.get("properties") or {}).get("distribution") or "general"
        version = args.version
        train = args.release_train or "stable"
        if not version and train.lower() != "staging":
            ring = "canary" if location == "eastus2euap" else "batch1"
            url = TAGS_URL.format(ring=ring, train=train)
            tags = (calls.web_json(url, "the latest Open Service Mesh version", "--version") or {}).get("tags")
            if not tags:
                raise InvalidArgumentValueError(
                    "--release-train '{}': no Open Service Mesh version is published for it at {}: pass --version "
                    "or another --release-train.".format(train, url))
            version = tags[-1]
        if not version or any(word in version for word in ("pr", "release", "beta")):
            return
        order = compare_versions(version, LAST_WITHOUT_TESTED_DISTROS)
        if order is not None and order <= 0:
            logger.warning(UNAVAILABLE.format(version))
            return
        if distro == "general":
            logger.warning(GENERAL)
            return
        # No flag avoids this look-up (the version is known by now): the error says to retry online.
        values = calls.web_yaml(VALUES_URL.format(version=version), "the tested distributions of Open Service Mesh",
                                None)
        if values is None:
            raise InvalidArgumentValueError(
                "--version: Invalid version '{}' for microsoft.openservicemesh".format(version))
        tested = ((values or {}).get("OpenServiceMesh") or {}).get("testedDistros")
        if not tested:
            logger.warning(UNAVAILABLE.format(version))
        elif distro not in str(tested).split():
            logger.warning(UNTESTED.format(distro))

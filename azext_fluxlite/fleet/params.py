"""Arguments of `az k8s-configuration fleet ...`.

`fleet apply` takes every source, auth and `-k` argument of `flux create`: they are registered from
`flux.params.load_flux_arguments` itself (retargeted to the fleet scope), not copied, so the two
commands cannot drift apart.
"""
# pylint: disable=line-too-long
from contextlib import contextmanager

from azure.cli.core.commands.parameters import get_enum_type, get_three_state_flag

from azext_fluxlite.core.cluster import FLUX_CLUSTER_TYPES
from azext_fluxlite.flux.operations import SOURCE_ARGS

FLUX_SCOPE = "k8s-configuration flux"
# The `flux create` arguments `fleet apply` shares (besides the source arguments).
SHARED_CREATE_ARGS = frozenset(SOURCE_ARGS) | {"kind", "url", "scope", "namespace", "suspend", "kustomization"}
SELECTION = "Cluster Selection"
ROLLOUT = "Rollout"


class _NoContext:
    def argument(self, *_args, **_kwargs):
        pass

    def __getattr__(self, _name):
        return lambda *args, **kwargs: None


class _Retargeted:
    """A loader stand-in: the `flux` scope's arguments named in `names` land in `scope` instead."""

    def __init__(self, loader, scope, names):
        self.loader, self.scope, self.names = loader, scope, names

    @contextmanager
    def argument_context(self, scope, **kwargs):
        if scope != FLUX_SCOPE:
            yield _NoContext()
            return
        with self.loader.argument_context(self.scope, **kwargs) as real:
            names = self.names

            class _Filter:
                def argument(self, dest, *args, **kw):
                    if dest in names:
                        real.argument(dest, *args, **kw)

                def __getattr__(self, name):
                    return getattr(real, name)
            yield _Filter()


def _selection_arguments(c):
    c.argument("cluster_ids", options_list=["--cluster-ids"], nargs="+", arg_group=SELECTION,
               help="ARM ids of connectedClusters, managedClusters or provisionedClusters (space-separated).")
    c.argument("resource_group", options_list=["--resource-group", "-g"], arg_group=SELECTION,
               help="Every cluster of --cluster-type (default: AKS and Arc-enabled clusters) in this resource group. Not taken from 'az configure --defaults group': a default would silently narrow the selection.")
    c.argument("cluster_type", options_list=["--cluster-type", "-t"], arg_group=SELECTION,
               arg_type=get_enum_type(FLUX_CLUSTER_TYPES), help="Only clusters of this type.")
    c.argument("tags", nargs="+", arg_group=SELECTION,
               help="Only clusters with these tags: KEY=VALUE (KEY alone: any value). Alone, it searches the whole subscription.")
    c.argument("graph_query", arg_group=SELECTION,
               help="An Azure Resource Graph (KQL) query whose rows carry cluster ids in a column 'id', e.g. \"resources | where type =~ 'microsoft.kubernetes/connectedclusters' and tags.ring == '1' | project id\".")
    c.argument("max_parallel", type=int, arg_group=ROLLOUT,
               help="How many clusters are worked on at once (default 10).")


def _rollout_arguments(c):
    c.argument("canary", type=int, arg_group=ROLLOUT,
               help="The first N selected clusters go alone and must succeed (and, with --wait-for-compliance, become Compliant) before the rest start.")
    c.argument("max_failures", type=int, arg_group=ROLLOUT,
               help="Start no new cluster once this many have failed (default: every cluster is tried).")


def load_fleet_arguments(loader):
    from azext_fluxlite.flux.params import load_flux_arguments

    with loader.argument_context("k8s-configuration fleet") as c:
        _selection_arguments(c)
        c.argument("name", options_list=["--name", "-n"], help="Name of the flux configuration.")

    load_flux_arguments(_Retargeted(loader, "k8s-configuration fleet apply", SHARED_CREATE_ARGS))

    with loader.argument_context("k8s-configuration fleet apply") as c:
        _rollout_arguments(c)
        c.argument("dry_run", action="store_true",
                   help="Print per cluster what would happen (created, updated with the changed fields, unchanged) and write nothing; reads such as the current configurations are still made.")
        c.argument("wait_for_compliance", arg_type=get_three_state_flag(), arg_group="Compliance",
                   help="After writing, wait until each cluster's configuration is Compliant; a cluster that is Non-Compliant or runs out of time is failed.")
        c.argument("compliance_timeout", arg_group="Compliance",
                   help="How long --wait-for-compliance waits per cluster: a Go duration (10m, 1h) or seconds.")
        c.argument("rotate_secrets", arg_type=get_three_state_flag(),
                   help="Write the configuration even where nothing comparable changed, so that new secret values (which Azure never returns, so they cannot be compared) reach every cluster.")

    with loader.argument_context("k8s-configuration fleet delete") as c:
        _rollout_arguments(c)
        c.argument("force", arg_type=get_three_state_flag(),
                   help="Remove the configuration from Azure at once, without waiting for each cluster to clean up.")
        c.argument("yes", options_list=["--yes", "-y"], action="store_true", help="Do not prompt for confirmation.")

"""Fleet operations: apply, delete, status and list-clusters over a resolved selection.

The az commands (fleet/custom.py) and the Python API (azext_fluxlite.api) both call these with an
`ArmClient` whose SDK clients share one transport and throttle (fleet/transport.py).  Every
per-cluster outcome is a result dict; nothing here prints.
"""
# pylint: disable=too-many-arguments
import io

from azext_fluxlite.core import polling
from azext_fluxlite.core.errors import FluxliteError, InvalidArgumentValueError
from azext_fluxlite.core.names import check_config_name
from azext_fluxlite.flux import operations
from azext_fluxlite.flux.payloads import FLUX_EXTENSION_NAME
from azext_fluxlite.fleet.compare import changed_fields
from azext_fluxlite.fleet.rollout import Progress, rollout
from azext_fluxlite.fleet.selection import check_selection, resolve
from azext_fluxlite.fleet.status import status


ACTIONS = ("created", "updated", "unchanged", "deleted", "failed", "skipped")
EXTENSION_NOTE = "extensions.flux (microsoft.flux installed first)"
FIXED_FIELDS = ("scope", "namespace")     # set when a configuration is created; the service refuses changes
MAX_PARALLEL_LIMIT = 200
POLLS_PER_SECOND = 40       # operation polls of a whole run at most, on average (ARM refills reads at ~25/s after a burst of 250)


def check_rollout_options(max_parallel=10, canary=0, max_failures=None):
    """Validate --max-parallel, --canary and --max-failures (no network)."""
    def whole(value, flag, least):
        if value is None:
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or str(number) != str(value).strip() or number < least:
            raise InvalidArgumentValueError("{} must be a whole number of at least {} (got '{}').".format(
                flag, least, value))
        return number
    max_parallel = whole(max_parallel if max_parallel is not None else 10, "--max-parallel", 1)
    if max_parallel > MAX_PARALLEL_LIMIT:
        raise InvalidArgumentValueError("--max-parallel must be at most {} (got {}).".format(
            MAX_PARALLEL_LIMIT, max_parallel))
    return max_parallel, whole(canary or 0, "--canary", 0), whole(max_failures, "--max-failures", 1)


def _config_fields(config):
    props = (config or {}).get("properties") or {}
    return {"provisioningState": props.get("provisioningState"), "complianceState": props.get("complianceState")}


def result(cluster, action, config=None, error=None, changes=None):
    row = cluster.identity()
    row["action"] = action
    row.update(_config_fields(config))
    row["error"] = error
    row["changes"] = changes
    return row


def error_text(exc):
    if isinstance(exc, FluxliteError):
        return exc.message
    text = str(exc).strip().splitlines()
    return "{}: {}".format(type(exc).__name__, text[0] if text else "")


def _failed(cluster, exc):
    return result(cluster, "failed", error=error_text(exc))


def _skipped(cluster, reason):
    return result(cluster, "skipped", error=reason)


def failure_summary(results):
    """The one ERROR line for a run with failures ("2 of 50 clusters failed: ..."), else None."""
    failed = [r for r in results if r.get("action") == "failed"]
    if not failed:
        return None
    skipped = sum(1 for r in results if r.get("action") == "skipped")
    names = ", ".join("{}/{}/{}".format(r["resourceGroup"], r["clusterType"], r["cluster"].rsplit("/", 1)[-1])
                      for r in failed)
    return "{} of {} clusters failed{}: {}".format(len(failed), len(results),
                                                  " ({} not started)".format(skipped) if skipped else "", names)


def _poll_compliant(arm, ref, name, timeout):
    # Many clusters wait at once: a steady interval, and no progress lines of their own.
    shaped = operations.wait_for_compliance(arm, ref, name, timeout, progress=io.StringIO(),
                                            interval=operations.COMPLIANCE_POLL_SECONDS)
    return {"properties": shaped}


def apply_cluster(arm, cluster, name, desired, dry_run=False, compliance_timeout=None, rotate_secrets=False):
    """Create or update one cluster's configuration; the result says which (or that nothing changed)."""
    ref = cluster.ref
    existing = operations.existing_configuration(arm, ref, name)
    if existing is not None:
        changes = changed_fields(desired, existing, rotate_secrets)
        fixed = [field for field in FIXED_FIELDS if field in changes]
        if fixed:       # the service refuses these changes: say so without a write
            have = (existing.get("properties") or {})
            return result(cluster, "failed", existing, changes=changes, error=(
                "The {} of flux configuration '{}' cannot change ({} on this cluster): delete it first "
                "('az k8s-configuration fleet delete') or use another --name.".format(
                    " and ".join("--" + f for f in fixed), name,
                    ", ".join("{} {}".format(f, have.get(f)) for f in fixed))))
        action = "updated" if changes else "unchanged"
        if not changes or dry_run:
            config = existing
            if not changes and compliance_timeout is not None and not dry_run:
                config = _poll_compliant(arm, ref, name, compliance_timeout)
            return result(cluster, action, config, changes=changes or None)
        config = arm.put_flux(ref, name, desired)
    else:
        extension = operations.plan_flux_extension(arm, ref)
        changes = [EXTENSION_NOTE] if extension is not None else None
        if dry_run:
            return result(cluster, "created", changes=changes)
        if extension is not None:
            arm.put_extension(ref, FLUX_EXTENSION_NAME, extension)
        config = arm.put_flux(ref, name, desired)
        action = "created"
    if compliance_timeout is not None:
        try:
            config = _poll_compliant(arm, ref, name, compliance_timeout)
        except FluxliteError as exc:
            # The write happened; the cluster did not become compliant.
            return result(cluster, "failed", config, changes=changes,
                          error="{} (the configuration was {})".format(exc.message, action))
    return result(cluster, action, config, changes=changes)


def poll_floor(max_parallel):
    """The shortest wait between polls of one operation when `max_parallel` run at once.

    Every running cluster polls its operation; together they stay within POLLS_PER_SECOND, which
    ARM's read budget (a burst of about 250, then about 25 a second) absorbs for the first seconds
    of a rollout, when polls are most frequent, instead of answering 429: 0.5 s up to 20 clusters at
    a time, 1.25 s at 50.  Later polls are a tenth of the operation's age apart anyway.
    """
    return max(polling.FIRST_DELAY, max_parallel / POLLS_PER_SECOND)


def _rollout(arm, clusters, work, max_parallel, canary, max_failures, progress):
    _warm(arm)
    floor, arm.poll_floor = arm.poll_floor, poll_floor(max_parallel)
    try:
        return rollout(clusters, work, _failed, _skipped, max_parallel=max_parallel, canary=canary,
                       max_failures=max_failures, progress=progress or Progress(len(clusters)))
    finally:
        arm.poll_floor = floor


def apply(arm, clusters, name, desired, dry_run=False, compliance_timeout=None, max_parallel=10, canary=0,
          max_failures=None, rotate_secrets=False, progress=None):
    """`fleet apply`: one result per cluster, in the clusters' order."""
    def work(cluster):
        return apply_cluster(arm, cluster, name, desired, dry_run, compliance_timeout, rotate_secrets)
    return _rollout(arm, clusters, work, max_parallel, canary, max_failures, progress)


def delete_cluster(arm, cluster, name, force=False):
    config = operations.existing_configuration(arm, cluster.ref, name)
    if config is None:
        return result(cluster, "unchanged", changes=["no flux configuration '{}' to delete".format(name)])
    arm.delete_flux(cluster.ref, name, force=bool(force))
    return result(cluster, "deleted")


def delete(arm, clusters, name, force=False, max_parallel=10, canary=0, max_failures=None, progress=None):
    """`fleet delete`: one result per cluster (`deleted`, or `unchanged` where there was none)."""
    return _rollout(arm, clusters, lambda c: delete_cluster(arm, c, name, force), max_parallel, canary,
                    max_failures, progress)


def _warm(arm):
    """Log in and build the SDK clients once, before threads share them."""
    _ = arm.flux, arm.extensions


# -- whole commands: validate everything (no network), resolve the selection, run --------------
def run_list_clusters(arm, selection, max_parallel=10):
    """`fleet list-clusters`: [{cluster, resourceGroup, clusterType, location, tags}]."""
    sel = check_selection(**selection)
    max_parallel, _, _ = check_rollout_options(max_parallel)
    return [c.row() for c in resolve(arm, sel, max_parallel)]


def run_apply(arm, selection, flux_args, dry_run=False, wait_for_compliance=False, compliance_timeout="10m",
              max_parallel=10, canary=0, max_failures=None, rotate_secrets=False, progress=None):
    """`fleet apply`: the same validation and PUT body as `flux create`, then the rollout."""
    check_config_name(flux_args.get("name"))
    desired = operations.build_create_request(flux_args)
    timeout = operations.compliance_options(wait_for_compliance, compliance_timeout, False, dry_run)
    max_parallel, canary, max_failures = check_rollout_options(max_parallel, canary, max_failures)
    sel = check_selection(**selection)
    clusters = resolve(arm, sel, max_parallel)
    return apply(arm, clusters, flux_args["name"], desired, dry_run=dry_run, compliance_timeout=timeout,
                 max_parallel=max_parallel, canary=canary, max_failures=max_failures,
                 rotate_secrets=rotate_secrets, progress=progress)


def run_delete(arm, selection, name, force=False, max_parallel=10, canary=0, max_failures=None, confirm=None,
               progress=None):
    """`fleet delete`: `confirm(message)` is asked once, with the number of clusters."""
    check_config_name(name)
    max_parallel, canary, max_failures = check_rollout_options(max_parallel, canary, max_failures)
    sel = check_selection(**selection)
    clusters = resolve(arm, sel, max_parallel)
    if confirm is not None:
        confirm("Delete the flux configuration '{}' from {} cluster(s)? Where its kustomizations have prune "
                "enabled, the Kubernetes objects they deployed are deleted too.".format(name, len(clusters)))
    return delete(arm, clusters, name, force=force, max_parallel=max_parallel, canary=canary,
                  max_failures=max_failures, progress=progress)


def run_status(arm, selection, name, max_parallel=10, use_graph=True, counter=None):
    """`fleet status`: one row per selected cluster."""
    check_config_name(name)
    max_parallel, _, _ = check_rollout_options(max_parallel)
    sel = check_selection(**selection)
    clusters = resolve(arm, sel, max_parallel)
    return status(arm, clusters, name, max_parallel=max_parallel, use_graph=use_graph, counter=counter)

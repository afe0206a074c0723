"""The dependsOn graph of a configuration's kustomizations: the order to build them, and its faults."""
from azext_fluxlite.flux.format import dependency_order  # noqa: F401  (one ordering for every caller)
from azext_fluxlite.flux.kustomizations import _path_back  # the cycle search -k validation uses


def _deps(kustomizations, name):
    return list((kustomizations.get(name) or {}).get("dependsOn") or [])


def dependency_problems(kustomizations):
    """[(name, message)]: dependsOn entries naming no kustomization, and each dependency cycle once."""
    out = []
    for name in kustomizations:
        for dep in _deps(kustomizations, name):
            if dep not in kustomizations:
                out.append((name, "kustomization '{}' depends on '{}', which is not a kustomization of this "
                                  "configuration (known: {})".format(name, dep, ", ".join(kustomizations))))
    graph = {name: _deps(kustomizations, name) for name in kustomizations}
    reported = set()
    for start in kustomizations:
        cycle = _path_back(graph, start)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            out.append((start, "kustomization dependencies form a cycle: {}; remove one of these dependsOn "
                               "entries".format(" -> ".join(cycle))))
    return out

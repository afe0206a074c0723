"""Fleets: one GitOps configuration on many clusters.

selection.py resolves which clusters a command targets (ids, resource group, tags, Resource Graph);
compare.py decides created / updated / unchanged; rollout.py runs per-cluster work in parallel with
canaries and a failure budget; engine.py holds the fleet operations (apply, delete, status,
list-clusters) that the az commands (custom.py) and the Python API (azext_fluxlite.api) adapt.
Nothing here imports azure.cli or knack.
"""

"""The GitOps build engine shared by the emulator's reconcile and `az k8s-configuration flux build`.

`engine.build_configuration(root, kustomizations, ...)` builds every kustomization of a Flux
configuration from a local repository the way the cluster would (see engine.py).  This package
imports neither azure.cli nor knack.
"""

"""The deprecated Flux v1 commands (`az k8s-configuration list|show|delete` of sourceControlConfigurations)
and the check that stops a Flux v2 install on a cluster that still has Flux v1 configurations."""

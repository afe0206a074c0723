# pylint: disable=line-too-long
"""Help of `az fluxlite ...`."""
from knack.help_files import helps

helps["fluxlite"] = """
type: group
short-summary: fluxlite's own commands (not part of the Microsoft extensions it replaces).
"""

helps["fluxlite emulator"] = """
type: group
short-summary: A local emulator of Azure Resource Manager for GitOps pipelines and tests.
long-summary: >
    The emulator serves the parts of ARM that 'az k8s-configuration flux' and 'az k8s-extension'
    use (cloud metadata, a managed-identity login, subscriptions, clusters, fluxConfigurations,
    extensions and extension types) over TLS on 127.0.0.1, so the real az, unmodified, and any other
    ARM client can run against it. Flux configurations whose git source it can read (a local path,
    a file:// URL, or a URL mapped with --source-map) are reconciled from the repository's real
    content: statuses and complianceState tell whether the paths exist, the YAML parses and the
    dependencies hold. State is kept in SQLite in --data-dir and survives restarts.
"""

helps["fluxlite emulator start"] = """
type: command
short-summary: Run the ARM emulator in the foreground until Ctrl-C.
long-summary: >
    Prints 'export ...' lines (REQUESTS_CA_BUNDLE, IDENTITY_ENDPOINT, IDENTITY_HEADER,
    FLUXLITE_EMULATOR_URL, FLUXLITE_EMULATOR_DATA_DIR) that point az at the emulator, the
    one-time login commands (az cloud register, az cloud set, az login --identity), and the exact
    'env' and 'login' helper commands for this installation (python -m azext_fluxlite.emulator,
    with PYTHONPATH set to az's extension directory when needed). Long-running operations take
    --operation-seconds and send no Retry-After unless --retry-after is given, like the live
    service. Test-control endpoints under /_emulator/ (request log, fault injection) need the
    header 'X-IDENTITY-HEADER: $IDENTITY_HEADER'.
examples:
  - name: Emulate the tutorial's Arc cluster and serve its GitOps repository from a local clone.
    text: >
        az fluxlite emulator start --data-dir ~/.fluxlite/demo --cluster flux-demo-rg/connectedClusters/flux-demo-arc
        --source-map https://github.com/Azure/gitops-flux2-kustomize-helm-mt=$HOME/src/gitops-flux2-kustomize-helm-mt
  - name: Fast operations on a fixed port, for a CI pipeline.
    text: >
        az fluxlite emulator start --port 8443 --operation-seconds 0.5 --retry-after 1
        --cluster ci-rg/managedClusters/ci-aks ci-rg/connectedClusters/ci-arc
"""

helps["fluxlite emulator env"] = """
type: command
short-summary: Print the environment variables that point az at a running emulator.
examples:
  - name: Print the variables; to set them in this shell, run the command inside eval "$(...)".
    text: az fluxlite emulator env --data-dir ./emu
"""

helps["fluxlite emulator login"] = """
type: command
short-summary: Register the running emulator as an az cloud, switch to it and log in with its managed identity.
long-summary: Run it in a shell where the emulator's variables are set (az fluxlite emulator env).
examples:
  - name: Log in to the emulator (in a shell where the variables of 'az fluxlite emulator env' are set).
    text: az fluxlite emulator login --data-dir ./emu
"""

helps["fluxlite emulator stop"] = """
type: command
short-summary: Stop the emulator running on a data directory.
examples:
  - name: Stop it.
    text: az fluxlite emulator stop --data-dir ./emu
"""

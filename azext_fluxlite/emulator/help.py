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
    ARM client can run against it. Flux configurations whose source it can read (a local path or
    file:// URL for git, or any git, bucket, Azure Blob or OCI URL mapped with --source-map) are
    reconciled from the real content, built with the real kustomize when installed: statuses and
    complianceState tell whether the paths exist, the YAML parses, the Flux objects match their CRDs
    and the dependencies hold, on clusters where the microsoft.flux extension is installed (elsewhere
    complianceState is Unknown and errorMessage says why). State is kept in SQLite in --data-dir and
    survives restarts. The emulator has its own az profile: 'eval "$(az fluxlite emulator env)"' points
    one shell at it and 'eval "$(az fluxlite emulator env --unset)"' points it back; ~/.azure is never
    changed.
"""

helps["fluxlite emulator start"] = """
type: command
short-summary: Run the ARM emulator in the foreground until Ctrl-C.
long-summary: >
    The emulator keeps its own az profile in DATA_DIR/azure, with its cloud registered and logged in
    (managed identity), and never writes your ~/.azure. It prints the 'export ...' lines that point one
    shell at it (AZURE_CONFIG_DIR, AZURE_EXTENSION_DIR, REQUESTS_CA_BUNDLE, IDENTITY_ENDPOINT,
    IDENTITY_HEADER, FLUXLITE_EMULATOR_URL, FLUXLITE_EMULATOR_DATA_DIR); other shells stay on Azure.
    'az fluxlite emulator env' prints them again for another shell and 'env --unset' undoes them.
    Long-running operations take --operation-seconds and send no Retry-After unless --retry-after is
    given, like the live service. A port in use or a data dir held by another running emulator stops
    start with one line and nothing created. Test-control endpoints under /_emulator/ (request log,
    fault injection, the clock) need the header 'X-IDENTITY-HEADER: $IDENTITY_HEADER'.
examples:
  - name: Emulate the tutorial's Arc cluster and serve its GitOps repository from a local clone.
    text: az fluxlite emulator start --data-dir ~/.fluxlite/demo --cluster flux-demo-rg/connectedClusters/flux-demo-arc --source-map https://github.com/Azure/gitops-flux2-kustomize-helm-mt=$HOME/src/gitops-flux2-kustomize-helm-mt
  - name: Fast operations on a fixed port, for a CI pipeline.
    text: az fluxlite emulator start --port 8443 --operation-seconds 0.5 --retry-after 1 --cluster ci-rg/managedClusters/ci-aks ci-rg/connectedClusters/ci-arc
"""

helps["fluxlite emulator env"] = """
type: command
short-summary: Print the lines that point this shell at a running emulator, or back (--unset).
long-summary: >
    The lines set AZURE_CONFIG_DIR to the emulator's own az profile (already logged in), keep your
    extensions (AZURE_EXTENSION_DIR), and set the CA bundle and managed-identity variables. Values the
    shell had before are saved and 'env --unset' restores them. Only the shell that evaluates the lines
    is affected; a new shell is on Azure. If the emulator stops while a shell still points at it,
    fluxlite's commands say so in one line; other az commands that call Azure fail with a connection
    error to 127.0.0.1 until you start it again or leave with 'env --unset'.
examples:
  - name: Print the lines that point a shell at the emulator; run it inside eval "$(...)" to apply them.
    text: az fluxlite emulator env --data-dir ./emu
  - name: Print the lines that point the shell back at Azure; run it inside eval "$(...)" to apply them.
    text: az fluxlite emulator env --unset
"""

helps["fluxlite emulator login"] = """
type: command
short-summary: Write the running emulator's cloud and managed-identity login into an az profile again.
long-summary: >
    'start' already does this for the emulator's own profile (DATA_DIR/azure); run it after an 'az logout'
    in an emulator shell, or with --config-dir to log in another az config directory (a CI job's). It
    refuses your own ~/.azure. Tokens come from the emulator's identity endpoint, so a shell using
    that directory also needs the IDENTITY_ENDPOINT, IDENTITY_HEADER and REQUESTS_CA_BUNDLE lines of
    'az fluxlite emulator env'.
examples:
  - name: Log the emulator's own az profile in again.
    text: az fluxlite emulator login --data-dir ./emu
  - name: Log in a CI job's az config directory.
    text: az fluxlite emulator login --data-dir ./emu --config-dir ./ci-azure
"""

helps["fluxlite emulator stop"] = """
type: command
short-summary: Stop the emulator running on a data directory.
long-summary: >
    Stops the process recorded in DATA_DIR/emulator.json after it answered as that very emulator (a PID
    reused by another program after a kill -9 is left alone), and says what it stopped.
examples:
  - name: Stop it.
    text: az fluxlite emulator stop --data-dir ./emu
"""

helps["fluxlite emulator reconcile"] = """
type: command
short-summary: Fetch the sources of flux configurations again now, like 'flux reconcile' on a cluster.
long-summary: >
    Without it a new commit (or new content in a mapped bucket, container or OCI directory) shows up when
    the source's sync interval has passed. The configurations reconcile on their next read.
examples:
  - name: Pick up the commit just pushed to the repository of cluster-config.
    text: az fluxlite emulator reconcile -n cluster-config --data-dir ./emu
"""

helps["fluxlite emulator add-cluster"] = """
type: command
short-summary: Create clusters in a running emulator (kept in its state).
examples:
  - name: Add an AKS cluster.
    text: az fluxlite emulator add-cluster --cluster ci-rg/managedClusters/ci-aks --data-dir ./emu
"""

helps["fluxlite emulator add-source-map"] = """
type: command
short-summary: Map sources to local directories in a running emulator (for this run).
long-summary: >
    The same URL=PATH as 'start --source-map': a git URL, a bucket endpoint and name, an Azure Blob
    container URL or an OCI repository. --source-auth URL=METHOD says that the source needs credentials.
examples:
  - name: Serve an OCI repository from a directory, for configurations that authenticate.
    text: az fluxlite emulator add-source-map --source-map oci://ghcr.io/org/manifests=./manifests --source-auth oci://ghcr.io/org/manifests=oci --data-dir ./emu
"""

#!/usr/bin/env bash
# `make demo`: the Azure tutorial "Deploy applications using GitOps with Flux v2", run with the real
# az and the fluxlite wheel against fluxlite's embedded ARM emulator. No Azure subscription needed.
#
#   FLUXLITE_WHEEL=<abs path of the wheel> PYTHON=<abs path of the venv's python> bash scripts/demo.sh
#
# Installs the wheel into a throwaway az configuration (standing in for your own; ~/.azure is untouched),
# starts the emulator (it keeps its own az profile, registered and logged in), points this shell at it
# with `eval "$(az fluxlite emulator env)"`, serves the tutorial's git URL from a local copy of
# examples/gitops-repo, fails unless the configuration ends up Compliant, then stops the emulator and
# points the shell back with `eval "$(az fluxlite emulator env --unset)"`.
set -euo pipefail

: "${FLUXLITE_WHEEL:?set FLUXLITE_WHEEL to the fluxlite wheel (make demo does this)}"
PYTHON="${PYTHON:-python3}"
AZ="$(dirname "$PYTHON")/az"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TUTORIAL_URL="https://github.com/Azure/gitops-flux2-kustomize-helm-mt"
RG=flux-demo-rg
CLUSTER=flux-demo-arc

if [ ! -x "$AZ" ]; then
    echo "demo: az not found next to $PYTHON (run make venv)" >&2
    exit 1
fi
if [ ! -f "$FLUXLITE_WHEEL" ]; then
    echo "demo: $FLUXLITE_WHEEL does not exist (run make wheel)" >&2
    exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/fluxlite-demo.XXXXXX")"
EMULATOR_PID=""
cleanup() {
    if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill -TERM "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export AZURE_CONFIG_DIR="$WORK/azure"
unset AZURE_EXTENSION_DIR
export AZURE_CORE_COLLECT_TELEMETRY=no AZURE_CORE_NO_COLOR=true AZURE_CORE_SURVEY_MESSAGE=no

section() { printf '\n### %s\n' "$*"; }
say() { printf '$ %s\n' "$*"; }
az_() {
    # Echo the command the way a user would type it, then run it.
    local shown="az" arg
    for arg in "$@"; do
        case "$arg" in
            *[\ \"\[\]\'\$]*) shown+=" '$arg'" ;;
            *) shown+=" $arg" ;;
        esac
    done
    printf '$ %s\n' "$shown"
    "$AZ" "$@"
}

section "Install fluxlite into a throwaway az configuration"
az_ extension add --source "$FLUXLITE_WHEEL" -y
az_ extension list -o table

section "The tutorial's GitOps repository, served from a local git repo"
cp -R "$REPO_ROOT/examples/gitops-repo" "$WORK/gitops-repo"
(
    cd "$WORK/gitops-repo"
    export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
    git init -q -b main
    git add -A
    git -c user.name="fluxlite demo" -c user.email=demo@fluxlite.invalid commit -q -m "GitOps example"
    git tag v1.0.0
)
say "git -C $WORK/gitops-repo log --oneline"
git -C "$WORK/gitops-repo" log --oneline

section "Check the repository before the cluster does: build every kustomization locally (no login)"
az_ k8s-configuration flux build --source-dir "$WORK/gitops-repo" \
    --kustomization name=infra path=./infrastructure prune=true \
    --kustomization name=apps path=./apps/staging prune=true dependsOn=infra

section "Start the ARM emulator"
say "az fluxlite emulator start --port 0 --data-dir $WORK/emulator --source-map $TUTORIAL_URL=$WORK/gitops-repo --cluster $RG/connectedClusters/$CLUSTER &"
# A plain command (not a function) in the background, so $! is the emulator itself.
"$AZ" fluxlite emulator start --port 0 --data-dir "$WORK/emulator" --source-map "$TUTORIAL_URL=$WORK/gitops-repo" \
    --cluster "$RG/connectedClusters/$CLUSTER" >"$WORK/emulator.log" 2>&1 &
EMULATOR_PID=$!
for _ in $(seq 1 150); do
    grep -q '^# Another shell' "$WORK/emulator.log" 2>/dev/null && break
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
        echo "demo: the emulator exited:" >&2
        cat "$WORK/emulator.log" >&2
        exit 1
    fi
    sleep 0.2
done
grep -q '^# Another shell' "$WORK/emulator.log" || { echo "demo: the emulator did not start" >&2; cat "$WORK/emulator.log" >&2; exit 1; }
grep '^# ' "$WORK/emulator.log" | head -2

section "Point this shell (only this one) at the emulator's own az profile: no login needed"
say 'eval "$(az fluxlite emulator env --data-dir '"$WORK/emulator"')"'
eval "$("$AZ" fluxlite emulator env --data-dir "$WORK/emulator")"
az_ account show --query "{subscription:id, cloud:environmentName, user:user.name}" -o table

section "Install the Flux extension with chosen controllers and log levels"
az_ k8s-extension create -g "$RG" -c "$CLUSTER" -t connectedClusters --name flux --extension-type microsoft.flux \
    --config source-controller.log-level=info kustomize-controller.log-level=info helm-controller.enabled=true \
    notification-controller.enabled=true image-automation-controller.enabled=false \
    image-reflector-controller.enabled=false -o table

section "Apply the Flux configuration (two kustomizations, apps depends on infra)"
az_ k8s-configuration flux create -g "$RG" -c "$CLUSTER" -n cluster-config --namespace cluster-config \
    -t connectedClusters --scope cluster -u "$TUTORIAL_URL" --branch main \
    --kustomization name=infra path=./infrastructure prune=true \
    --kustomization name=apps path=./apps/staging prune=true 'dependsOn=["infra"]' \
    --query "{name:name, provisioningState:provisioningState, complianceState:complianceState, source:sourceSyncedCommitId}" \
    -o table

section "Check the result"
state=""
for _ in $(seq 1 30); do
    state="$("$AZ" k8s-configuration flux show -g "$RG" -c "$CLUSTER" -n cluster-config -t connectedClusters \
        --query complianceState -o tsv)"
    [ "$state" = "Pending" ] || break
    sleep 1
done
az_ k8s-configuration flux show -g "$RG" -c "$CLUSTER" -n cluster-config -t connectedClusters --query complianceState
az_ k8s-configuration flux kustomization list -g "$RG" -c "$CLUSTER" -n cluster-config -t connectedClusters -o table
az_ k8s-configuration flux deployed-object list -g "$RG" -c "$CLUSTER" -n cluster-config -t connectedClusters -o table
az_ k8s-configuration flux status -g "$RG" -c "$CLUSTER" -n cluster-config -t connectedClusters

if [ "$state" != "Compliant" ]; then
    echo
    echo "demo: FAILED: cluster-config is '$state', expected Compliant" >&2
    "$AZ" k8s-configuration flux show -g "$RG" -c "$CLUSTER" -n cluster-config -t connectedClusters \
        --query errorMessage -o tsv >&2 || true
    exit 1
fi

section "Stop the emulator and point the shell back"
az_ fluxlite emulator stop
EMULATOR_PID=""
say 'eval "$(az fluxlite emulator env --unset)"'
eval "$("$AZ" fluxlite emulator env --unset)"
echo "AZURE_CONFIG_DIR=${AZURE_CONFIG_DIR:-} (the throwaway configuration again)"
echo
echo "demo: OK: the Flux configuration cluster-config is Compliant."

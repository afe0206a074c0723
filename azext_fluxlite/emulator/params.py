"""Arguments of `az fluxlite emulator start|env|login|stop|reconcile|add-cluster|add-source-map`."""

SOURCE_MAP_HELP = ("Serve a source from a local directory: URL=PATH (space-separated, repeatable). URL is a git URL "
                   "(https://host/x and https://host/x.git are alike; PATH is a git repository), a bucket endpoint "
                   "and name (https://s3.amazonaws.com/BUCKET), an Azure Blob container URL "
                   "(https://ACCOUNT.blob.core.windows.net/CONTAINER) or an OCI repository (oci://host/repo).")
SOURCE_AUTH_HELP = ("A mapped source needs credentials: URL=METHOD with METHOD ssh, https, https:USER, bucket, blob, "
                    "oci or secret:NAME. Configurations without them get the error Flux reports.")


def load_emulator_arguments(loader):
    with loader.argument_context("fluxlite emulator start") as c:
        c.argument("host", help="Loopback address to bind: 127.0.0.1, localhost or ::1. "
                                "The emulator never listens on other interfaces.")
        c.argument("port", type=int,
                   help="Port to listen on; 0 picks a free one. Default: the port this data directory used last "
                        "(so a registered az cloud keeps working), else a free one.")
        c.argument("data_dir", help="Directory for the state database, the TLS certificates and the checked-out "
                                    "sources. Default: ~/.fluxlite/emulator.")
        c.argument("operation_seconds", type=float,
                   help="Seconds that PUT, PATCH and DELETE operations stay Creating/Updating/Deleting.")
        c.argument("retry_after", type=int,
                   help="Send 'Retry-After: N' on 201/202 answers and running operation statuses. Default: none, "
                        "like the live service (clients then use their own polling interval).")
        c.argument("source_map", nargs="+", help=SOURCE_MAP_HELP)
        c.argument("source_auth", nargs="+", help=SOURCE_AUTH_HELP)
        c.argument("cluster", nargs="+", help="Create clusters: RESOURCE_GROUP/CLUSTER_TYPE/NAME, e.g. "
                                              "flux-demo-rg/connectedClusters/flux-demo-arc (space-separated).")
        c.argument("emulated_subscription_id", options_list=["--subscription-id"],
                   help="Subscription id the emulator serves. Default: a fixed id.")
        c.argument("page_size", type=int, help="Items per page of list answers before a nextLink.")
        c.argument("reconcile_seconds", type=float,
                   help="Seconds after an operation completes during which a flux configuration stays Pending "
                        "before its statuses are computed. Default: 0.")

    with loader.argument_context("fluxlite emulator reconcile") as c:
        c.argument("name", options_list=["--name", "-n"], nargs="+",
                   help="Flux configurations to reconcile (space-separated). Default: all of them.")
    with loader.argument_context("fluxlite emulator add-cluster") as c:
        c.argument("cluster", nargs="+", help="Clusters to create: RESOURCE_GROUP/CLUSTER_TYPE/NAME (space-separated).")
    with loader.argument_context("fluxlite emulator add-source-map") as c:
        c.argument("source_map", nargs="+", help=SOURCE_MAP_HELP)
        c.argument("source_auth", nargs="+", help=SOURCE_AUTH_HELP)

    for command in ("env", "login", "stop", "reconcile", "add-cluster", "add-source-map"):
        with loader.argument_context("fluxlite emulator " + command) as c:
            c.argument("data_dir", help="Data directory of the running emulator. Default: $FLUXLITE_EMULATOR_DATA_DIR "
                                        "(set by env), else ~/.fluxlite/emulator.")
    with loader.argument_context("fluxlite emulator env") as c:
        c.argument("unset", action="store_true",
                   help="Print the lines that point this shell back where it was before env (no emulator needed).")
    with loader.argument_context("fluxlite emulator login") as c:
        c.argument("config_dir", help="Log in this az config directory (e.g. a CI job's AZURE_CONFIG_DIR) instead of "
                                      "the emulator's own. Never your ~/.azure.")

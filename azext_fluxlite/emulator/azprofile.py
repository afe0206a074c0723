"""The emulator's own az profile: an AZURE_CONFIG_DIR inside its data dir, registered and logged in.

`start` writes it (and rewrites it when the port changes), so `eval "$(az fluxlite emulator env)"` is all
a shell needs: az reads the cloud (`clouds.config`, `config`) and the managed-identity account
(`azureProfile.json`) from there, and fetches tokens from IDENTITY_ENDPOINT with IDENTITY_HEADER at
run time.  These are the files `az cloud register/set` and `az login --identity` write; writing them
directly takes no az process and never touches the user's own ~/.azure.  Other sections a user adds
to this directory (`az configure --defaults ...` inside the emulator shell) are kept.
"""
import configparser
import json
import os

from .config import AZ_CONFIG_DIR

_ENDPOINTS = ("active_directory", "active_directory_data_lake_resource_id", "active_directory_graph_resource_id",
              "active_directory_resource_id", "app_insights_resource_id",
              "app_insights_telemetry_channel_resource_id", "attestation_resource_id", "batch_resource_id",
              "gallery", "log_analytics_resource_id", "management", "media_resource_id",
              "microsoft_graph_resource_id", "portal", "resource_manager", "sql_management",
              "synapse_analytics_resource_id")
_SUFFIXES = {"acr_login_server_endpoint": ".azurecr.invalid",
             "azure_datalake_analytics_catalog_and_job_endpoint": "datalake-analytics.invalid",
             "azure_datalake_store_file_system_endpoint": "datalake.invalid", "keyvault_dns": ".vault.invalid",
             "sql_server_hostname": ".database.invalid", "storage_endpoint": "core.invalid"}


def config_dir(data_dir):
    return os.path.join(data_dir, AZ_CONFIG_DIR)


def _private_write(path, text, encoding="utf-8"):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding=encoding) as f:
        f.write(text)
    os.replace(tmp, path)


def _update_ini(path, section, values, drop_section=False):
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error:
        parser = configparser.ConfigParser(interpolation=None)
    if drop_section and parser.has_section(section):
        parser.remove_section(section)
    if not parser.has_section(section):
        parser.add_section(section)
    for key, value in values.items():
        parser.set(section, key, value)
    lines = []
    for name in parser.sections():
        lines.append("[{}]".format(name))
        lines += ["{} = {}".format(k, v) for k, v in parser.items(name, raw=True)]
        lines.append("")
    _private_write(path, "\n".join(lines) + "\n")


def write_profile(state, directory=None):
    """Register the emulator's cloud and its managed-identity login in <data dir>/azure (or `directory`);
    return that directory."""
    directory = directory or config_dir(state["data_dir"])
    os.makedirs(directory, mode=0o700, exist_ok=True)
    os.chmod(directory, 0o700)
    url, cloud = state["base_url"], state["cloud_name"]
    values = {"endpoint_" + name: url for name in _ENDPOINTS}
    values["endpoint_vm_image_alias_doc"] = url + "metadata/vm-image-aliases"
    values.update({"suffix_" + k: v for k, v in _SUFFIXES.items()})
    values["subscription"] = state["subscription_id"]
    _update_ini(os.path.join(directory, "clouds.config"), cloud, values, drop_section=True)
    _update_ini(os.path.join(directory, "config"), "cloud", {"name": cloud})
    # msal would look the emulator's authority up at login.microsoftonline.com (az logout, az account
    # get-access-token): like Azure Stack, this cloud turns instance discovery off.
    _update_ini(os.path.join(directory, "config"), "core", {"instance_discovery": "false"})
    profile_path = os.path.join(directory, "azureProfile.json")
    try:
        with open(profile_path, encoding="utf-8-sig") as f:
            profile = json.load(f)
    except (OSError, ValueError):
        profile = {}
    if not isinstance(profile, dict):
        profile = {}
    profile["subscriptions"] = [{
        "id": state["subscription_id"], "name": "fluxlite emulator", "state": "Enabled",
        "user": {"name": "systemAssignedIdentity", "type": "servicePrincipal", "assignedIdentityInfo": "MSI"},
        "isDefault": True, "tenantId": state["tenant_id"], "environmentName": cloud,
        "homeTenantId": state["tenant_id"], "managedByTenants": []}]
    _private_write(profile_path, json.dumps(profile), encoding="utf-8-sig")
    return directory

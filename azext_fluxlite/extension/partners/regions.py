"""Region tables of the monitoring extensions (facts of the Log Analytics and Azure Monitor services).

The Log Analytics default workspace lives in the region the cluster's region maps to, in the
resource group `DefaultResourceGroup-<code>`.  Unknown clouds get eastus/EUS, as in the original.
"""
_PUBLIC_CODES = (
    "australiasoutheast:ASE australiaeast:EAU australiacentral:CAU australiacentral2:CBR2 brazilsouth:CQ "
    "brazilsoutheast:BRSE canadacentral:CCA canadaeast:YQ centralindia:CID centralus:CUS eastasia:EA eastus:EUS "
    "eastus2:EUS2 eastus2euap:EAP francecentral:PAR francesouth:MRS germanywestcentral:DEWC japaneast:EJP "
    "japanwest:OS jioindiacentral:JINC jioindiawest:JINW koreacentral:SE koreasouth:PS northcentralus:NCUS "
    "northeurope:NEU norwayeast:NOE norwaywest:NOW qatarcentral:QAC southafricanorth:JNB southcentralus:SCUS "
    "southindia:MA southeastasia:SEA swedencentral:SEC switzerlandnorth:CHN switzerlandwest:CHW uaecentral:AUH "
    "uaenorth:DXB uksouth:SUK ukwest:WUK usgovvirginia:USGV westeurope:WEU westus:WUS westus2:WUS2 westus3:USW3")
# Regions whose workspace lives in another region (every other known region maps to itself).
_PUBLIC_MOVED = {"westcentralus": "eastus", "germanynorth": "germanywestcentral", "southafricawest": "southafricanorth",
                 "westindia": "centralindia", "centraluseuap": "eastus2euap"}
_CHINA = {"chinaeast": "chinaeast2", "chinaeast2": "chinaeast2", "chinanorth": "chinaeast2", "chinanorth2": "chinaeast2"}
_CHINA_CODES = {"chinaeast2": "EAST2"}
_USGOV = {"usgovvirginia": "usgovvirginia", "usgovtexas": "usgovvirginia", "usgovarizona": "usgovarizona"}
_USGOV_CODES = {"usgovvirginia": "USGV", "usgovarizona": "PHX"}

PUBLIC_CODES = dict(pair.split(":") for pair in _PUBLIC_CODES.split())
PUBLIC_REGIONS = {region: region for region in PUBLIC_CODES if region != "usgovvirginia"}
PUBLIC_REGIONS.update(_PUBLIC_MOVED)

CLOUDS = {
    "azurecloud": (PUBLIC_REGIONS, PUBLIC_CODES, "eastus"),
    "azurechinacloud": (_CHINA, _CHINA_CODES, "chinaeast2"),
    "azureusgovernment": (_USGOV, _USGOV_CODES, "usgovvirginia"),
}

# Clouds with their own Log Analytics domain (protected settings omsagent.domain / amalogs.domain).
DOMAINS = {"azurechinacloud": "opinsights.azure.cn", "azureusgovernment": "opinsights.azure.us",
           "usnat": "opinsights.azure.eaglex.ic.gov", "ussec": "opinsights.azure.microsoft.scloud"}


def normalize_region(location):
    return (location or "").replace(" ", "").lower()


def default_workspace_region(cloud, cluster_location):
    """(workspace region, region code) for the default workspace, or raise ValueError(wrong cloud).

    Returns None for a cloud the original does not know (the caller warns and uses eastus/EUS).
    """
    location = normalize_region(cluster_location)
    entry = CLOUDS.get((cloud or "").lower())
    if entry is None:
        return None
    regions, codes, fallback = entry
    for other, (other_regions, _, _) in CLOUDS.items():
        if other != (cloud or "").lower() and location in other_regions and location not in regions:
            raise ValueError(location)
    region = regions.get(location, fallback)
    return region, codes.get(region, codes[fallback])


# Azure Monitor workspaces (managed Prometheus): the region of data collection endpoints and rules.
# Regions Azure Monitor serves map to themselves; any other region falls back to eastus.
MONITOR_REGIONS = frozenset(PUBLIC_CODES) | {"westcentralus", "germanynorth", "centraluseuap", "israelcentral",
                                             "italynorth", "polandcentral", "spaincentral", "mexicocentral",
                                             "newzealandnorth", "chinaeast2", "chinanorth3", "usgovarizona",
                                             "usgovtexas"}


def closest_monitor_region(region):
    region = normalize_region(region)
    return region if region in MONITOR_REGIONS else "eastus"

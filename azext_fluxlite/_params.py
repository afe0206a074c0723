"""Arguments: one module per resource, registered here for az."""


def load_arguments(loader, _command):
    from azext_fluxlite._params_flux import load_flux_arguments
    from azext_fluxlite._params_extension import load_extension_arguments
    from azext_fluxlite._params_emulator import load_emulator_arguments
    from azext_fluxlite._params_export import load_export_arguments
    from azext_fluxlite._params_preview import load_preview_arguments
    load_flux_arguments(loader)
    load_extension_arguments(loader)
    load_emulator_arguments(loader)
    load_export_arguments(loader)
    load_preview_arguments(loader)

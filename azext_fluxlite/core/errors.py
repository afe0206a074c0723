"""fluxlite's error classes, free of azure-cli.

Validators, builders and the ARM layer raise these so that the Python API works without az.  Each
class carries the name of the azure-cli error class it stands for; the az adapter
(`azext_fluxlite._az_errors`) turns them into that class, so az prints them as its own errors with
its exit codes.  Messages are one line that names the option the user typed and how to fix it.
"""


class FluxliteError(Exception):
    """Base of every error fluxlite raises on purpose (never a crash)."""

    az_class = "AzCLIError"

    def __init__(self, message, recommendation=None):
        super().__init__(message)
        self.message = self.error_msg = message
        self.recommendation = recommendation


class UserError(FluxliteError):
    """The input is wrong: nothing was sent."""

    az_class = "UserFault"


class ArgumentUsageError(UserError):
    az_class = "ArgumentUsageError"


class InvalidArgumentValueError(UserError):
    az_class = "InvalidArgumentValueError"


class RequiredArgumentMissingError(UserError):
    az_class = "RequiredArgumentMissingError"


class MutuallyExclusiveArgumentError(UserError):
    az_class = "MutuallyExclusiveArgumentError"


class UnrecognizedArgumentError(UserError):
    az_class = "UnrecognizedArgumentError"


class ValidationError(UserError):
    az_class = "ValidationError"


class FileOperationError(UserError):
    az_class = "FileOperationError"


class ResourceNotFoundError(UserError):
    az_class = "ResourceNotFoundError"


class UnauthorizedError(UserError):
    az_class = "UnauthorizedError"


class ForbiddenError(UserError):
    az_class = "ForbiddenError"


class BadRequestError(UserError):
    az_class = "BadRequestError"


class ServiceError(FluxliteError):
    """The service answered with an error, or could not be understood."""

    az_class = "ServiceError"


class AzureResponseError(ServiceError):
    az_class = "AzureResponseError"


class AzureInternalError(ServiceError):
    az_class = "AzureInternalError"


class DeploymentError(ServiceError):
    az_class = "DeploymentError"


class CLIInternalError(FluxliteError):
    az_class = "CLIInternalError"

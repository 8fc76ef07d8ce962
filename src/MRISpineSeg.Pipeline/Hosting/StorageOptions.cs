namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// Configuration section <c>Storage</c> (app settings <c>Storage__blobServiceUri</c>, ...). In Azure give the three service
/// URIs and <c>credential=managedidentity</c> (with <c>clientId</c> for a user-assigned identity): connections use
/// <c>DefaultAzureCredential</c>, never keys. A <see cref="ConnectionString"/> is for Azurite only.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Azurite only, e.g. <c>UseDevelopmentStorage=true</c>. When set, the URIs are ignored.</summary>
    public string? ConnectionString { get; init; }

    public Uri? BlobServiceUri { get; init; }

    public Uri? QueueServiceUri { get; init; }

    public Uri? TableServiceUri { get; init; }

    /// <summary><c>managedidentity</c> (the Functions convention) or empty; either way DefaultAzureCredential is used with the URIs.</summary>
    public string? Credential { get; init; }

    /// <summary>
    /// How long one storage request may go unanswered before it is retried (default 60 s; the SDK tries 4 times). A
    /// service that accepts connections and never answers is reported after about 4 times this.
    /// </summary>
    public int NetworkTimeoutSeconds { get; init; } = 60;

    /// <summary>Client id of a user-assigned managed identity.</summary>
    public string? ClientId { get; init; }
}

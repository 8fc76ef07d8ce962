namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// Configuration section <c>ServiceBus</c> (<c>ServiceBus__fullyQualifiedNamespace</c>, <c>ServiceBus__credential</c>,
/// <c>ServiceBus__clientId</c>). A <see cref="ConnectionString"/> is for emulators and tests only
/// (e.g. <c>Endpoint=sb://localhost;...;UseDevelopmentEmulator=true</c>).
/// </summary>
public sealed class ServiceBusOptions
{
    public const string Section = "ServiceBus";

    public string? FullyQualifiedNamespace { get; init; }

    public string? ConnectionString { get; init; }

    public string? Credential { get; init; }

    public string? ClientId { get; init; }

    /// <summary>True when either a namespace or a connection string is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);
}

using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace MRISpineSeg.Pipeline.Telemetry;

/// <summary>
/// How a deployed host reaches Application Insights. The component has local (key) authentication off, so the
/// connection string is an address, and ingestion uses the Entra token of the identity named by
/// <see cref="AuthenticationSetting"/> (<c>Authorization=AAD;ClientId=&lt;client id&gt;</c>, as the Functions host reads it),
/// which holds Monitoring Metrics Publisher on the component (infra/app/rbac.bicep).
/// </summary>
public sealed class AzureMonitorSettings
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    private AzureMonitorSettings(string connectionString, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        Credential = credential;
    }

    public string ConnectionString { get; }

    /// <summary>The managed identity that sends telemetry; null when no authentication string is set (key-based ingestion, refused by our component).</summary>
    public TokenCredential? Credential { get; }

    /// <summary>The settings, or null when no connection string is set (no Azure Monitor export: a laptop, a test).</summary>
    /// <exception cref="PipelineException">The authentication string is malformed (<see cref="PipelineErrorReason.Configuration"/>).</exception>
    public static AzureMonitorSettings? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connection = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connection)) return null;
        var authentication = configuration[AuthenticationSetting];
        return new AzureMonitorSettings(connection, string.IsNullOrWhiteSpace(authentication) ? null : ParseCredential(authentication));
    }

    /// <summary>Parses <c>Authorization=AAD[;ClientId=&lt;guid&gt;]</c> (keys in any order and case): a user-assigned identity with the client id, else the system-assigned one.</summary>
    public static TokenCredential ParseCredential(string authentication)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        string? authorization = null, clientId = null;
        foreach (var part in authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq > 0 ? part[..eq].Trim() : part;
            var value = eq > 0 ? part[(eq + 1)..].Trim() : string.Empty;
            if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) authorization = value;
            else if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase)) clientId = value;
            else throw Bad(authentication, $"\"{key}\" is not a known key");
        }

        if (!string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
            throw Bad(authentication, authorization is null ? "Authorization is missing" : $"Authorization is \"{authorization}\"");
        if (clientId is null) return new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
        if (!Guid.TryParse(clientId, out _)) throw Bad(authentication, $"ClientId \"{clientId}\" is not a GUID");
        return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }

    private static PipelineException Bad(string value, string problem)
        => new(PipelineErrorReason.Configuration, $"{AuthenticationSetting} \"{value}\": {problem}; expected Authorization=AAD;ClientId=<the managed identity's client id>");
}

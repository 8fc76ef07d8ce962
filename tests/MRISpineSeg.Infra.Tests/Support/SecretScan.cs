using System.Text.RegularExpressions;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>Recognises settings that carry a credential, by name or by value.</summary>
public static partial class SecretScan
{
    /// <summary>
    /// Allowed although its name says "connection string": with DisableLocalAuth on the Application Insights
    /// component (asserted separately) it is only an ingestion address; telemetry needs an Entra token.
    /// </summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static string? Problem(string name, string value)
    {
        if (name == "AzureWebJobsStorage")
        {
            return "AzureWebJobsStorage must be configured by identity (AzureWebJobsStorage__*), not as a connection string";
        }

        if (name != ApplicationInsightsConnectionString && SecretName().IsMatch(name))
        {
            return $"setting '{name}' looks like a secret by its name";
        }

        if (SecretValue().IsMatch(value))
        {
            return $"setting '{name}' carries a key, SAS or secret in its value: {value}";
        }

        if (name.EndsWith("__credential", StringComparison.Ordinal) && value != "managedidentity")
        {
            return $"setting '{name}' must be 'managedidentity', got '{value}'";
        }

        return null;
    }

    [GeneratedRegex(@"(key|secret|password|pwd|connectionstring|connection_string|sas|token)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(list[A-Za-z]*\(|AccountKey=|SharedAccessKey|SharedAccessSignature|[?&]sig=|[?&]code=|secretRef|DefaultEndpointsProtocol)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretValue();
}

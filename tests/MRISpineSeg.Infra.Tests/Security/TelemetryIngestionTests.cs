using MRISpineSeg.Infra.Tests.Support;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.Infra.Tests.Security;

/// <summary>
/// Telemetry reaches Application Insights by identity, never by key: the component refuses key-based ingestion, the
/// Function App's and the worker's identities may publish to it, and each app is told which identity to use in the
/// setting the code reads (<see cref="AzureMonitorSettings"/>), with no instrumentation key in any setting.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class TelemetryIngestionTests(CompiledInfra infra)
{
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string ComponentType = "Microsoft.Insights/components";

    [Fact]
    public void ApplicationInsightsShouldRefuseKeyBasedIngestion()
    {
        var component = Assert.Single(infra.Main.ModuleTemplate("monitoring").OwnResources(), r => r.Type == ComponentType);

        Assert.Equal("true", component.At("properties.DisableLocalAuth")?.ToString(), ignoreCase: true);
        Assert.Empty(SecurityAudit.Telemetry(infra.Main));
    }

    [Theory]
    [InlineData("functionsPrincipalId")]
    [InlineData("workerPrincipalId")]
    public void EachAppIdentityShouldHoldMonitoringMetricsPublisherOnTheComponent(string principal)
    {
        var grants = RoleAssignmentExpander.Expand(infra.Main).Where(a => a.PrincipalParameter == principal && a.RoleDefinitionId == MonitoringMetricsPublisher).ToList();

        Assert.Equal(ComponentType, Assert.Single(grants).ScopeType);
    }

    [Fact]
    public void FunctionAppShouldAuthenticateTelemetryWithItsOwnIdentity()
    {
        var settings = infra.Main.ModuleTemplate("functions").Variables["appSettings"]!.AsObject().ToDictionary(s => s.Key, s => s.Value?.ToString() ?? "");

        AssertIdentityIngestion(settings, "identityClientId");
    }

    [Fact]
    public void WorkerShouldAuthenticateTelemetryWithItsOwnIdentity()
    {
        var job = infra.Main.ModuleTemplate("container-apps").OwnResources().Single(r => r.Type == "Microsoft.App/jobs");
        var settings = job.At("properties.template.containers")!.AsArray()[0]!["env"]!.AsArray().ToDictionary(e => e!["name"]!.ToString(), e => e!["value"]?.ToString() ?? "");

        AssertIdentityIngestion(settings, "workerIdentityClientId");
    }

    private static void AssertIdentityIngestion(Dictionary<string, string> settings, string clientIdParameter)
    {
        Assert.Contains("applicationInsightsConnectionString", settings[AzureMonitorSettings.ConnectionStringSetting], StringComparison.Ordinal);
        var authentication = settings[AzureMonitorSettings.AuthenticationSetting];
        Assert.Contains("Authorization=AAD", authentication, StringComparison.Ordinal);
        Assert.Contains("ClientId={0}", authentication, StringComparison.Ordinal);
        Assert.Contains($"parameters('{clientIdParameter}')", authentication, StringComparison.Ordinal);
        Assert.DoesNotContain(settings, s => s.Key.Contains("INSTRUMENTATIONKEY", StringComparison.OrdinalIgnoreCase) || s.Value.Contains("InstrumentationKey", StringComparison.OrdinalIgnoreCase));
    }
}

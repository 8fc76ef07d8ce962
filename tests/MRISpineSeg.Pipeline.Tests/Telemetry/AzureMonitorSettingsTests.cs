using Azure.Identity;
using Microsoft.Extensions.Configuration;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.Pipeline.Tests.Telemetry;

public sealed class AzureMonitorSettingsTests
{
    private const string Connection = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";

    [Fact]
    public void NoConnectionStringShouldMeanNoAzureMonitorExport()
        => Assert.Null(AzureMonitorSettings.From(Config(new() { [AzureMonitorSettings.AuthenticationSetting] = "Authorization=AAD" })));

    [Theory]
    [InlineData("Authorization=AAD;ClientId=8d6f1a52-3c3e-4d53-9b2f-0c6c1f7d2e11")]
    [InlineData("ClientId=8d6f1a52-3c3e-4d53-9b2f-0c6c1f7d2e11;Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 8d6f1a52-3c3e-4d53-9b2f-0c6c1f7d2e11 ")]
    [InlineData("Authorization=AAD")]
    public void AuthenticationStringShouldGiveAManagedIdentityCredential(string authentication)
    {
        var settings = AzureMonitorSettings.From(Config(new()
        {
            [AzureMonitorSettings.ConnectionStringSetting] = Connection,
            [AzureMonitorSettings.AuthenticationSetting] = authentication,
        }));

        Assert.NotNull(settings);
        Assert.Equal(Connection, settings.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(settings.Credential);
    }

    [Fact]
    public void ConnectionStringWithoutAuthenticationShouldCarryNoCredential()
        => Assert.Null(AzureMonitorSettings.From(Config(new() { [AzureMonitorSettings.ConnectionStringSetting] = Connection }))!.Credential);

    [Theory]
    [InlineData("Authorization=Key", "Authorization is \"Key\"")]
    [InlineData("ClientId=8d6f1a52-3c3e-4d53-9b2f-0c6c1f7d2e11", "Authorization is missing")]
    [InlineData("Authorization=AAD;ClientId=worker", "ClientId \"worker\" is not a GUID")]
    [InlineData("Authorization=AAD;Secret=x", "\"Secret\" is not a known key")]
    public void MalformedAuthenticationStringShouldBeAConfigurationErrorNamingTheSettingAndTheValidForm(string authentication, string problem)
    {
        var ex = Assert.Throws<PipelineException>(() => AzureMonitorSettings.ParseCredential(authentication));

        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        Assert.Contains(AzureMonitorSettings.AuthenticationSetting, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected Authorization=AAD;ClientId=", ex.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}

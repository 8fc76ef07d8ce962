using System.Text.Json.Nodes;
using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.Security;

/// <summary>
/// The security properties, asserted on the compiled ARM JSON of main.bicep; each audit is also shown to catch a
/// template where that one property is broken.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class SecurityAuditTests(CompiledInfra infra)
{
    [Fact]
    public void CompiledTemplateShouldPassEverySecurityAudit()
    {
        var violations = SecurityAudit.All(infra.Main);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Theory]
    [InlineData("allowSharedKeyAccess", true, "allowSharedKeyAccess")]
    [InlineData("allowBlobPublicAccess", true, "allowBlobPublicAccess")]
    [InlineData("minimumTlsVersion", "TLS1_0", "minimumTlsVersion")]
    public void StorageAuditShouldCatchAWeakenedAccount(string property, object value, string expected)
    {
        var template = TemplateMutation.Copy(infra);
        TemplateMutation.Properties(template, "Microsoft.Storage/storageAccounts")[property] = JsonValue.Create(value);

        Assert.Contains(SecurityAudit.Storage(template), v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void StorageAuditShouldCatchAPublicContainer()
    {
        var template = TemplateMutation.Copy(infra);
        TemplateMutation.Properties(template, "Microsoft.Storage/storageAccounts/blobServices/containers")["publicAccess"] = "Blob";

        Assert.Contains(SecurityAudit.Storage(template), v => v.Contains("publicAccess", StringComparison.Ordinal));
    }

    [Fact]
    public void ServiceBusAuditShouldCatchSasKeysLeftOn()
    {
        var template = TemplateMutation.Copy(infra);
        TemplateMutation.Properties(template, "Microsoft.ServiceBus/namespaces")["disableLocalAuth"] = false;

        Assert.Contains(SecurityAudit.ServiceBus(template), v => v.Contains("disableLocalAuth", StringComparison.Ordinal));
    }

    [Fact]
    public void RegistryAuditShouldCatchTheAdminUser()
    {
        var template = TemplateMutation.Copy(infra);
        TemplateMutation.Properties(template, "Microsoft.ContainerRegistry/registries")["adminUserEnabled"] = true;

        Assert.Contains(SecurityAudit.Registry(template), v => v.Contains("adminUserEnabled", StringComparison.Ordinal));
    }

    [Fact]
    public void TelemetryAuditShouldCatchKeyBasedIngestion()
    {
        var template = TemplateMutation.Copy(infra);
        TemplateMutation.Properties(template, "Microsoft.Insights/components")["DisableLocalAuth"] = false;

        Assert.Contains(SecurityAudit.Telemetry(template), v => v.Contains("DisableLocalAuth", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc")]
    [InlineData("Storage__accountKey", "abc")]
    [InlineData("ServiceBus", "Endpoint=sb://x/;SharedAccessKeyName=root;SharedAccessKey=abc")]
    [InlineData("Storage__credential", "connectionstring")]
    [InlineData("Models__uri", "[format('{0}?{1}', 'https://x', listAccountSas('x', '2025-01-01', json('{}')).accountSasToken)]")]
    public void AppSettingsAuditShouldCatchACredentialInASetting(string name, string value)
    {
        var template = TemplateMutation.Copy(infra);
        TemplateMutation.Module(template, "functions").Variables["appSettings"]!.AsObject()[name] = value;

        Assert.NotEmpty(SecurityAudit.FunctionAppSettings(template));
    }

    [Fact]
    public void ScaleRuleAuditShouldCatchARuleWithoutIdentity()
    {
        var template = TemplateMutation.Copy(infra);
        var rule = (JsonObject)TemplateMutation.First(template, "Microsoft.App/jobs")
            .At("properties.configuration.eventTriggerConfig.scale.rules")!.AsArray()[0]!;
        rule.Remove("identity");
        rule["auth"] = new JsonArray(new JsonObject { ["secretRef"] = "sb-connection", ["triggerParameter"] = "connection" });

        var violations = SecurityAudit.JobScaleRuleIdentity(template).ToList();

        Assert.Contains(violations, v => v.Contains("has no identity", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("authenticates with secrets", StringComparison.Ordinal));
    }

    [Fact]
    public void JobAuditShouldCatchSecretsAndPasswordPulls()
    {
        var template = TemplateMutation.Copy(infra);
        var configuration = (JsonObject)TemplateMutation.First(template, "Microsoft.App/jobs").At("properties.configuration")!;
        configuration["secrets"] = new JsonArray(new JsonObject { ["name"] = "sb", ["value"] = "x" });
        configuration["registries"] = new JsonArray(new JsonObject { ["server"] = "cr.azurecr.io", ["username"] = "cr", ["passwordSecretRef"] = "pw" });

        var violations = SecurityAudit.JobHasNoSecrets(template).ToList();

        Assert.Contains(violations, v => v.Contains("secrets must be empty", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("pulled by identity", StringComparison.Ordinal));
    }

    [Fact]
    public void ListKeysAuditShouldCatchAKeyInAnOutput()
    {
        var template = TemplateMutation.Copy(infra);
        template.Outputs["LEAK"] = new JsonObject
        {
            ["type"] = "string",
            ["value"] = "[listKeys(resourceId('Microsoft.Web/sites/host', 'f', 'default'), '2024-11-01').masterKey]",
        };

        Assert.NotEmpty(SecurityAudit.ListKeysOnlyInEventSubscriptions(template));
    }

    [Fact]
    public void FunctionAppSettingsShouldConnectToEveryServiceByIdentity()
    {
        var functions = infra.Main.ModuleTemplate("functions");
        var settings = functions.Variables["appSettings"]!.AsObject();
        var expected = new[]
        {
            "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
            "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
            "Storage__blobServiceUri", "Storage__queueServiceUri", "Storage__tableServiceUri", "Storage__credential", "Storage__clientId",
            "ServiceBus__fullyQualifiedNamespace", "ServiceBus__credential", "ServiceBus__clientId", "JobQueueName",
        };

        Assert.Empty(expected.Except(settings.Select(s => s.Key)));
        Assert.All(settings.Where(s => s.Key.EndsWith("__credential", StringComparison.Ordinal)), s => Assert.Equal("managedidentity", s.Value!.ToString()));
        Assert.DoesNotContain(settings, s => s.Key is "FUNCTIONS_WORKER_RUNTIME" or "FUNCTIONS_EXTENSION_VERSION");
    }
}

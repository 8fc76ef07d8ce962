using System.Reflection;
using MRISpineSeg.Infra.Tests.Support;
using MRISpineSeg.Pipeline.Hosting;

namespace MRISpineSeg.Infra.Tests.App;

/// <summary>
/// Every setting the templates give the worker job and the Function App is one the code reads: a root setting bound to
/// <see cref="PipelineSettings"/> or named by <see cref="ModelLocation"/>/<see cref="PortRegistration"/>, a key of the
/// <c>Storage</c>/<c>ServiceBus</c> sections, or one the platform and SDKs read. (The worker was once given
/// <c>Model__source</c> and <c>Inference__device</c>, which nothing read, and would have stopped for want of a model.)
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class SettingsReadByTheCodeTests(CompiledInfra infra)
{
    // The Application Insights pair is read by the hosts' telemetry (AzureMonitorSettings) and by the Functions host.
    private static readonly string[] PlatformSettings = ["AZURE_CLIENT_ID", Pipeline.Telemetry.AzureMonitorSettings.ConnectionStringSetting, Pipeline.Telemetry.AzureMonitorSettings.AuthenticationSetting];

    [Fact]
    public void WorkerEnvironmentShouldOnlyHoldSettingsTheWorkerReads()
    {
        var job = infra.Main.ModuleTemplate("container-apps").OwnResources().Single(r => r.Type == "Microsoft.App/jobs");
        var names = job.At("properties.template.containers")!.AsArray()[0]!["env"]!.AsArray().Select(e => e!["name"]!.ToString()).ToList();

        Assert.DoesNotContain(names, n => !IsRead(n));
        Assert.Contains(ModelLocation.SourceSetting, names);
        Assert.Contains(PortRegistration.ModelDeviceSetting, names);
    }

    [Fact]
    public void FunctionAppSettingsShouldOnlyHoldSettingsTheAppOrItsHostReads()
    {
        var names = infra.Main.ModuleTemplate("functions").Variables["appSettings"]!.AsObject().Select(s => s.Key);

        // AzureWebJobsStorage__* is the Functions host's own storage connection.
        Assert.DoesNotContain(names, n => !IsRead(n) && !n.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal));
    }

    private static bool IsRead(string name)
    {
        var parts = name.Split("__");
        return parts.Length switch
        {
            1 => PlatformSettings.Contains(name) || RootSettings().Contains(name),
            2 when parts[0] == StorageOptions.Section => HasProperty<StorageOptions>(parts[1]),
            2 when parts[0] == ServiceBusOptions.Section => HasProperty<ServiceBusOptions>(parts[1]),
            _ => false,
        };
    }

    private static HashSet<string> RootSettings()
    {
        var names = typeof(PipelineSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToHashSet();
        foreach (var holder in new[] { typeof(ModelLocation), typeof(PortRegistration) })
            names.UnionWith(holder.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!));
        return names;
    }

    // Configuration binding matches keys to properties case-insensitively.
    private static bool HasProperty<T>(string key)
        => typeof(T).GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { CanWrite: true };
}

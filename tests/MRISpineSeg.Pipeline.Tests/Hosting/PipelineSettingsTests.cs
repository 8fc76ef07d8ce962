using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;

namespace MRISpineSeg.Pipeline.Tests.Hosting;

public sealed class PipelineSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs)
        => new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void AppSettingsShouldBindWithTheInfraNames()
    {
        var c = Config(("JobQueueName", "jobs-x"), ("LeaseSeconds", "90"), ("Storage:blobServiceUri", "https://a.blob.core.windows.net"), ("Storage:credential", "managedidentity"), ("ServiceBus:fullyQualifiedNamespace", "ns.servicebus.windows.net"));
        Assert.Equal("jobs-x", c.Get<PipelineSettings>()!.JobQueueName);
        Assert.Equal(TimeSpan.FromSeconds(90), c.Get<PipelineSettings>()!.Lease);
        var s = c.GetSection(StorageOptions.Section).Get<StorageOptions>()!;
        Assert.Equal(new Uri("https://a.blob.core.windows.net"), s.BlobServiceUri);
        Assert.Equal("managedidentity", s.Credential);
        Assert.True(c.GetSection(ServiceBusOptions.Section).Get<ServiceBusOptions>()!.IsConfigured);
    }

    [Theory]
    [InlineData("LeaseSeconds", "0")]
    [InlineData("MaxDeliveryCount", "0")]
    [InlineData("IdleExitSeconds", "-1")]
    [InlineData("ReceiveWaitSeconds", "0")]
    [InlineData("HeaderProbeBytes", "10")]
    public void OutOfRangeSettingShouldBeNamed(string key, string value)
    {
        var ex = Assert.Throws<PipelineException>(() => new ServiceCollection().AddUploadHandling(Config((key, value))));
        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingServiceUriShouldNameTheAppSetting()
    {
        var ex = Assert.Throws<PipelineException>(() => PipelineClients.Create(new StorageOptions { BlobServiceUri = new Uri("https://a.blob.core.windows.net") }));
        Assert.Contains("Storage__queueServiceUri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransportShouldBeStorageQueueLocallyAndServiceBusWhenANamespaceIsSet()
    {
        await using var local = PipelineClients.Create(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });
        await using var q1 = PipelineServiceCollectionExtensions.CreateQueue(local, new PipelineSettings(), new ServiceBusOptions());
        Assert.IsType<StorageQueueJobQueue>(q1);

        var bus = new ServiceBusOptions { FullyQualifiedNamespace = "ns.servicebus.windows.net" };
        await using var cloud = PipelineClients.Create(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }, bus);
        await using var q2 = PipelineServiceCollectionExtensions.CreateQueue(cloud, new PipelineSettings(), bus);
        Assert.IsType<ServiceBusJobQueue>(q2);
    }

    [Fact]
    public async Task ServiceBusTransportWithoutANamespaceShouldSaySo()
    {
        await using var local = PipelineClients.Create(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });
        var ex = Assert.Throws<PipelineException>(() => PipelineServiceCollectionExtensions.CreateQueue(local, new PipelineSettings { JobTransport = JobTransport.ServiceBus }, new ServiceBusOptions()));
        Assert.Contains("ServiceBus__fullyQualifiedNamespace", ex.Message, StringComparison.Ordinal);
    }
}

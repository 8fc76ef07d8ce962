using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.EndToEnd.Tests.Support.Transports;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.EndToEnd.Tests.ServiceBus;

/// <summary>
/// The pipeline wired from configuration exactly as the Functions app and the worker container are
/// (<see cref="PipelineServiceCollectionExtensions.AddWorker"/>), with <c>ServiceBus__connectionString</c>
/// pointing at the loopback endpoint: the upload handler sends on Service Bus, the worker drains it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConfiguredServiceBusPipelineTests(Azurite azurite, LoopbackServiceBusTransport bus) : IClassFixture<LoopbackServiceBusTransport>
{
    [Fact]
    public async Task UploadHandlerAndWorkerFromConfigurationShouldCarryAJobOverServiceBus()
    {
        var queue = "cfg-" + Guid.NewGuid().ToString("N")[..12];
        bus.Bus.CreateQueue(queue, new ServiceBusLoopback.LoopbackQueueOptions { LockDuration = TimeSpan.FromSeconds(30), MaxDeliveryCount = new PipelineSettings().MaxDeliveryCount + 1 });
        var tokensBefore = bus.Bus.TokensAccepted; // the bus is shared by this class's tests
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["ServiceBus:ConnectionString"] = bus.Bus.ConnectionString,
            ["JobQueueName"] = queue,
            ["IdleExitSeconds"] = "2",
            ["ReceiveWaitSeconds"] = "1",
            ["ModelId"] = "test-threshold",
        }).Build();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        var segmenter = new ThresholdSegmenterDouble();
        services.AddSingleton<IScanSegmenter>(segmenter); // before AddWorker, which then keeps it instead of loading a model
        services.AddUploadHandling(config).AddWorker(config);
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<ServiceBusJobQueue>(provider.GetRequiredService<IJobQueue>());
        var storage = provider.GetRequiredService<PipelineStorage>();
        await storage.EnsureCreatedAsync(null);
        var name = "cfg" + Guid.NewGuid().ToString("N")[..8] + "/Case1.nii.gz";
        await storage.Container(ContainerNames.Scans).GetBlobClient(name).UploadAsync(new BinaryData(TestVolumes.ScanNiiGz()));

        var queued = await provider.GetRequiredService<ScanUploadedHandler>().HandleAsync(name);
        Assert.Equal(1, bus.Bus.Stats(queue).Sent);
        var summary = await provider.GetRequiredService<JobReceiveLoop>().RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, summary.Total);
        Assert.Equal(1, segmenter.Calls);
        Assert.True((await storage.Container(ContainerNames.Masks).GetBlobClient(BlobLayout.MaskName(name)).ExistsAsync()).Value);
        Assert.Equal(JobState.Succeeded, (await provider.GetRequiredService<JobStatusStore>().GetAsync(queued.JobId!))!.State);
        var stats = bus.Bus.Stats(queue);
        Assert.Equal((1, 0, 0), (stats.Completions, stats.Active, stats.DeadLettered));
        Assert.True(bus.Bus.TokensAccepted - tokensBefore >= 2); // this pipeline's sender and receiver each put a token on $cbs
    }

    [Fact]
    public async Task SameUploadEventTwiceShouldBeDroppedByTheQueuesDuplicateDetectionBecauseMessageIdIsTheJobId()
    {
        var queue = "dup-" + Guid.NewGuid().ToString("N")[..12];
        bus.Bus.CreateQueue(queue, new ServiceBusLoopback.LoopbackQueueOptions { DuplicateDetectionWindow = TimeSpan.FromHours(1) });
        await using var jobs = new ServiceBusJobQueue(bus.Client, queue);
        var first = JobMessage.Create("Case1.nii.gz", "\"0x8DC1\"", 1000, "m", DateTimeOffset.UtcNow);

        await jobs.SendAsync(first);
        await jobs.SendAsync(JobMessage.Create("Case1.nii.gz", "\"0x8DC1\"", 1000, "m", DateTimeOffset.UtcNow.AddMinutes(1))); // Event Grid redelivers
        await jobs.SendAsync(JobMessage.Create("Case1.nii.gz", "\"0x8DC2\"", 1000, "m", DateTimeOffset.UtcNow)); // a new upload: a new job

        var stats = bus.Bus.Stats(queue);
        Assert.Equal((2L, 1L), (stats.Sent, stats.DuplicatesDropped));
        var delivery = (await jobs.ReceiveAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal(first.JobId, delivery.MessageId);
        Assert.Equal(first, JobMessageCodec.Parse(delivery.Body.ToMemory().Span));
    }
}

using Azure.Messaging.ServiceBus;
using MRISpineSeg.Pipeline;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.ServiceBusLoopback;

namespace MRISpineSeg.EndToEnd.Tests.ServiceBus;

/// <summary>
/// How the pipeline's Service Bus transport reports a broken bus: an unreachable namespace is transient (the worker
/// backs off and retries), a missing queue is a configuration error naming the queue.
/// </summary>
public sealed class ServiceBusJobQueueFailureTests
{
    private static readonly ServiceBusClientOptions FailFast = new()
    {
        RetryOptions = new ServiceBusRetryOptions { MaxRetries = 0, TryTimeout = TimeSpan.FromSeconds(5) },
    };

    [Fact]
    public async Task UnreachableNamespaceShouldBeATransientFailureNamingTheQueue()
    {
        var port = Support.Azurite.FreePort(); // nothing listens there

        await using var client = new ServiceBusClient($"Endpoint=sb://127.0.0.1:{port};SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true", FailFast);
        await using var queue = new ServiceBusJobQueue(client, "segmentation-jobs");

        var ex = await Assert.ThrowsAsync<PipelineException>(() => queue.SendAsync(JobMessage.Create("Case1.nii.gz", "\"0x1\"", 1, "m", DateTimeOffset.UtcNow)));

        Assert.True(ex.IsTransient);
        Assert.Equal(PipelineErrorReason.ServiceUnavailable, ex.Reason);
        Assert.Contains("\"segmentation-jobs\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingQueueShouldBeAConfigurationErrorNamingTheQueue()
    {
        await using var bus = LoopbackServiceBus.Start();
        await using var client = new ServiceBusClient(bus.ConnectionString, FailFast);
        await using var queue = new ServiceBusJobQueue(client, "no-such-jobs");

        var ex = await Assert.ThrowsAsync<PipelineException>(() => queue.ReceiveAsync(TimeSpan.FromSeconds(1)));

        Assert.False(ex.IsTransient);
        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        Assert.Contains("\"no-such-jobs\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MessagingEntityNotFound", ex.Message, StringComparison.Ordinal);
    }
}

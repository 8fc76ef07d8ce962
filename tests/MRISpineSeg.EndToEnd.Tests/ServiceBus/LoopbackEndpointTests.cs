using Azure.Messaging.ServiceBus;
using MRISpineSeg.ServiceBusLoopback;

namespace MRISpineSeg.EndToEnd.Tests.ServiceBus;

/// <summary>
/// The loopback AMQP endpoint (test support) driven by the real Azure.Messaging.ServiceBus client, at the level of
/// the SDK: what the pipeline's transport relies on must behave here as the client expects it from Azure.
/// </summary>
public sealed class LoopbackEndpointTests : IAsyncLifetime
{
    private readonly LoopbackServiceBus _bus = LoopbackServiceBus.Start();
    private ServiceBusClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new ServiceBusClient(_bus.ConnectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 1, TryTimeout = TimeSpan.FromSeconds(10), Delay = TimeSpan.FromMilliseconds(100) },
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _bus.DisposeAsync();
    }

    private string Queue(LoopbackQueueOptions? options = null)
    {
        var name = "q" + Guid.NewGuid().ToString("N")[..10];
        _bus.CreateQueue(name, options);
        return name;
    }

    private static ServiceBusReceiverOptions PeekLock => new() { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 };

    [Fact]
    public async Task SendThenPeekLockReceiveShouldCarryBodyPropertiesAndA16ByteLockToken()
    {
        var q = Queue(new LoopbackQueueOptions { LockDuration = TimeSpan.FromSeconds(30) });
        await using var sender = _client.CreateSender(q);
        var sent = new ServiceBusMessage(BinaryData.FromString("{\"job\":1}")) { MessageId = "job-1", ContentType = "application/json", Subject = "segment" };
        sent.ApplicationProperties["schemaVersion"] = 1;
        await sender.SendMessageAsync(sent);
        await using var receiver = _client.CreateReceiver(q, PeekLock);

        var before = DateTimeOffset.UtcNow;
        var m = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5));

        Assert.NotNull(m);
        Assert.Equal("{\"job\":1}", m.Body.ToString());
        Assert.Equal("job-1", m.MessageId);
        Assert.Equal("application/json", m.ContentType);
        Assert.Equal("segment", m.Subject);
        Assert.Equal(1, m.ApplicationProperties["schemaVersion"]);
        Assert.Equal(1, m.DeliveryCount);
        Assert.Equal(1, m.SequenceNumber);
        Assert.True(Guid.TryParse(m.LockToken, out var token) && token != Guid.Empty);
        Assert.InRange(m.LockedUntil, before.AddSeconds(25), before.AddSeconds(35));
        Assert.True(_bus.TokensAccepted >= 1);
        await receiver.CompleteMessageAsync(m);
        Assert.Equal(1, _bus.Stats(q).Completions);
        Assert.Equal(0, _bus.Stats(q).Active);
    }
}

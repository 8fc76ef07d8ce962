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
        Assert.Empty(_bus.SweepFaults);
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

    [Fact]
    public async Task AbandonShouldRedeliverAtOnceWithTheNextDeliveryCountAndANewLockToken()
    {
        var q = Queue();
        await SendAsync(q, "a");
        await using var receiver = _client.CreateReceiver(q, PeekLock);

        var first = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!;
        await receiver.AbandonMessageAsync(first);
        var second = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5));

        Assert.NotNull(second);
        Assert.Equal(2, second.DeliveryCount);
        Assert.NotEqual(first.LockToken, second.LockToken);
        Assert.Equal(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(1, _bus.Stats(q).Abandons);
    }

    [Fact]
    public async Task DeadLetterShouldKeepReasonDescriptionAndBodyOnTheSubQueue()
    {
        var q = Queue();
        await SendAsync(q, "bad");
        await using var receiver = _client.CreateReceiver(q, PeekLock);
        var m = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!;

        await receiver.DeadLetterMessageAsync(m, "InvalidUpload", "scans/Case1.nii.gz: dim[0] is 4");

        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
        await using var dlq = _client.CreateReceiver(q, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, PrefetchCount = 0 });
        var peeked = Assert.Single(await dlq.PeekMessagesAsync(10));
        Assert.Equal("InvalidUpload", peeked.DeadLetterReason);
        Assert.Equal("scans/Case1.nii.gz: dim[0] is 4", peeked.DeadLetterErrorDescription);
        Assert.Equal("bad", peeked.Body.ToString());
        Assert.Equal(1, peeked.DeliveryCount);
        Assert.Equal(q, peeked.DeadLetterSource);
        var received = (await dlq.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal("InvalidUpload", received.DeadLetterReason);
        await dlq.CompleteMessageAsync(received);
        Assert.Equal(0, _bus.Stats(q).DeadLettered);
    }

    [Fact]
    public async Task RenewLockShouldMoveLockedUntilAndKeepTheMessageFromOtherReceivers()
    {
        var q = Queue(new LoopbackQueueOptions { LockDuration = TimeSpan.FromSeconds(2) });
        await SendAsync(q, "long job");
        await using var receiver = _client.CreateReceiver(q, PeekLock);
        await using var other = _client.CreateReceiver(q, PeekLock);
        var m = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!;
        var firstUntil = m.LockedUntil;

        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await receiver.RenewMessageLockAsync(m);
        }

        Assert.True(m.LockedUntil > firstUntil.AddSeconds(2));
        Assert.Null(await other.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
        await receiver.CompleteMessageAsync(m);
        Assert.Equal(3, _bus.Stats(q).LockRenewals);
        Assert.Equal(0, _bus.Stats(q).LockExpiries);
    }

    [Fact]
    public async Task ExpiredLockShouldRedeliverWithAHigherCountAndTheStaleSettlementShouldSayLockLost()
    {
        var q = Queue(new LoopbackQueueOptions { LockDuration = TimeSpan.FromSeconds(1) });
        await SendAsync(q, "crash");
        await using var receiver = _client.CreateReceiver(q, PeekLock);
        var stale = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!;

        var again = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5));

        Assert.NotNull(again);
        Assert.Equal(2, again.DeliveryCount);
        var complete = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(stale));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, complete.Reason);
        var renew = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.RenewMessageLockAsync(stale));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, renew.Reason);
        await receiver.CompleteMessageAsync(again);
        Assert.Equal(1, _bus.Stats(q).LockExpiries);
    }

    [Fact]
    public async Task LockEndingAtTheMaxDeliveryCountShouldDeadLetterTheMessage()
    {
        var q = Queue(new LoopbackQueueOptions { LockDuration = TimeSpan.FromSeconds(1), MaxDeliveryCount = 2 });
        await SendAsync(q, "poison");
        await using var receiver = _client.CreateReceiver(q, PeekLock);

        Assert.Equal(1, (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!.DeliveryCount); // lock expires
        var second = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal(2, second.DeliveryCount);
        await receiver.AbandonMessageAsync(second);

        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
        await using var dlq = _client.CreateReceiver(q, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = Assert.Single(await dlq.PeekMessagesAsync(10));
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        Assert.Equal(2, dead.DeliveryCount);
    }

    [Fact]
    public async Task DeadLetteredMessageWhoseLocksKeepExpiringShouldStayInTheDeadLetterQueue()
    {
        var q = Queue(new LoopbackQueueOptions { LockDuration = TimeSpan.FromSeconds(1), MaxDeliveryCount = 1 });
        await SendAsync(q, "kept");
        await using var receiver = _client.CreateReceiver(q, PeekLock);
        await receiver.DeadLetterMessageAsync((await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!, "InvalidMessage", "not JSON");
        await using var dlq = _client.CreateReceiver(q, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, PrefetchCount = 0 });

        var first = (await dlq.ReceiveMessageAsync(TimeSpan.FromSeconds(5)))!; // lock expires: past the limit, but a dead letter stays
        var second = await dlq.ReceiveMessageAsync(TimeSpan.FromSeconds(5));

        Assert.NotNull(second);
        Assert.Equal(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal("InvalidMessage", second.DeadLetterReason);
        Assert.Equal(1, _bus.Stats(q).DeadLettered);
    }

    [Fact]
    public async Task DuplicateDetectionShouldDropASecondMessageWithTheSameId()
    {
        var q = Queue(new LoopbackQueueOptions { DuplicateDetectionWindow = TimeSpan.FromMinutes(10) });
        await using var sender = _client.CreateSender(q);
        await sender.SendMessageAsync(new ServiceBusMessage("one") { MessageId = "same" });
        await sender.SendMessageAsync(new ServiceBusMessage("two") { MessageId = "same" });
        await sender.SendMessageAsync(new ServiceBusMessage("three") { MessageId = "other" });

        var stats = _bus.Stats(q);
        Assert.Equal(2, stats.Active);
        Assert.Equal(1, stats.DuplicatesDropped);
    }

    [Fact]
    public async Task EmptyQueueReceiveShouldReturnNullAfterTheWaitAndALaterMessageShouldStillArrive()
    {
        var q = Queue();
        await using var receiver = _client.CreateReceiver(q, PeekLock);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300)));

        await SendAsync(q, "late");

        var m = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("late", m?.Body.ToString());
    }

    [Fact]
    public async Task UnknownQueueShouldFailWithEntityNotFound()
    {
        await using var sender = _client.CreateSender("no-such-queue");

        var ex = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(new ServiceBusMessage("x")));

        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, ex.Reason);
    }

    [Fact]
    public async Task MessageLargerThanTheAnnouncedMaximumShouldBeRefusedByTheClient()
    {
        var q = Queue(new LoopbackQueueOptions { MaxMessageSizeBytes = 1024 });
        await using var sender = _client.CreateSender(q);

        var ex = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(new ServiceBusMessage(new byte[4096])));

        Assert.Equal(ServiceBusFailureReason.MessageSizeExceeded, ex.Reason);
        Assert.Equal(0, _bus.Stats(q).Active);
    }

    private async Task SendAsync(string queue, string body)
    {
        await using var sender = _client.CreateSender(queue);
        await sender.SendMessageAsync(new ServiceBusMessage(body));
    }
}

using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.EndToEnd.Tests.Support.Transports;
using MRISpineSeg.Pipeline;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Queues;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// The lease contract of <see cref="IJobQueue"/>, written once and held by each transport
/// (<see cref="JobQueueOnStorageQueueTests"/> on Azurite, <see cref="JobQueueOnServiceBusTests"/> through the real
/// Service Bus client on the loopback AMQP endpoint).
/// </summary>
public abstract class JobQueueContract(Azurite azurite, TransportUnderTest transport)
{
    private Task<TestPipeline> StartAsync(int leaseSeconds) => TestPipeline.StartAsync(azurite, leaseSeconds, transport: transport);

    private static JobMessage Job(string name = "Case1.nii.gz") => JobMessage.Create(name, "\"0x1\"", 100, "m", DateTimeOffset.UtcNow);

    [Fact]
    public async Task CompletedMessageShouldNotComeBack()
    {
        await using var p = await StartAsync(leaseSeconds: 1);
        await p.Queue.SendAsync(Job());

        var d = await p.ReceiveOneAsync();
        Assert.Equal(1, d.DeliveryCount);
        await d.CompleteAsync();

        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task UnsettledMessageShouldBeRedeliveredAfterTheLeaseWithAHigherCount()
    {
        // Two seconds, not one: a storage queue keeps the visibility time in whole seconds (Azurite reported
        // 18:44:59.000 for a receive at 18:44:58.9), so a one-second lease can end within milliseconds of the receive
        // and the "still hidden" check below raced it on a loaded CI machine. Two seconds leave at least one.
        await using var p = await StartAsync(leaseSeconds: 2);
        await p.Queue.SendAsync(Job());

        var first = await p.ReceiveOneAsync();
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(200)));
        var second = await p.ReceiveOneAsync(TimeSpan.FromSeconds(6));

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DeliveryCount);
        Assert.Equal(first.Body.ToString(), second.Body.ToString());
    }

    [Fact]
    public async Task RenewedLeaseShouldKeepTheMessageHiddenPastItsFirstExpiry()
    {
        // 3 s leases renewed every 1.2 s: the last check (≈ 3.6 s in) is past the first lease's end, and even in
        // whole-second storage-queue time every renewal leaves at least 2 s, well over the 0.5 s looked at below.
        await using var p = await StartAsync(leaseSeconds: 3);
        await p.Queue.SendAsync(Job());
        var d = await p.ReceiveOneAsync();

        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1200));
            await d.RenewLeaseAsync();
        }

        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
        await d.CompleteAsync();
    }

    [Fact]
    public async Task AbandonedMessageShouldBeDeliveredAgainAtOnce()
    {
        await using var p = await StartAsync(leaseSeconds: 60);
        await p.Queue.SendAsync(Job());

        await (await p.ReceiveOneAsync()).AbandonAsync();
        var again = await p.ReceiveOneAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task DeadLetterShouldKeepReasonDescriptionAndBodyAside()
    {
        await using var p = await StartAsync(leaseSeconds: 1);
        var job = Job();
        await p.Queue.SendAsync(job);

        await (await p.ReceiveOneAsync()).DeadLetterAsync("InvalidUpload", "scans/Case1.nii.gz: dim[0]: 4-D");

        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(2)));
        var dead = Assert.Single(await p.Queue.PeekDeadLettersAsync(10));
        Assert.Equal("InvalidUpload", dead.Reason);
        Assert.Equal("scans/Case1.nii.gz: dim[0]: 4-D", dead.Description);
        Assert.Equal(1, dead.DeliveryCount);
        Assert.Equal(job, JobMessageCodec.Parse(dead.Body.ToMemory().Span));
    }

    [Fact]
    public async Task SettlingAfterTheLeaseWentToAnotherConsumerShouldSayLeaseLost()
    {
        await using var p = await StartAsync(leaseSeconds: 1);
        await p.Queue.SendAsync(Job());
        var stale = await p.ReceiveOneAsync();
        var fresh = await p.ReceiveOneAsync(TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<PipelineException>(() => stale.CompleteAsync());

        Assert.Equal(PipelineErrorReason.LeaseLost, ex.Reason);
        Assert.True(ex.IsTransient);
        await fresh.CompleteAsync();
    }
}

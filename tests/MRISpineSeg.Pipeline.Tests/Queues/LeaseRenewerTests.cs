using MRISpineSeg.Pipeline.Queues;

namespace MRISpineSeg.Pipeline.Tests.Queues;

public sealed class LeaseRenewerTests
{
    [Fact]
    public async Task LeaseShouldBeRenewedRepeatedlyWhileWorkRuns()
    {
        var d = new CountingDelivery();
        await using (var r = new LeaseRenewer(d, TimeSpan.FromMilliseconds(50), CancellationToken.None))
        {
            // Wait for renewals rather than a fixed time, so a loaded CI machine cannot starve the timer into a failure.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (d.Renewals < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.False(r.Token.IsCancellationRequested);
        }

        Assert.InRange(d.Renewals, 3, 20);
    }

    [Fact]
    public async Task LostLeaseShouldCancelTheWork()
    {
        var d = new CountingDelivery { FailWith = new PipelineException(PipelineErrorReason.LeaseLost, "gone") };
        await using var r = new LeaseRenewer(d, TimeSpan.FromMilliseconds(20), CancellationToken.None);

        await Task.Delay(Timeout.Infinite, r.Token).ContinueWith(_ => { }).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.IsType<PipelineException>(r.Failure);
    }

    [Fact]
    public async Task OneTransientRenewalFailureShouldBeToleratedButTwoShouldNot()
    {
        var d = new CountingDelivery { FailWith = new PipelineException(PipelineErrorReason.ServiceUnavailable, "503"), FailTimes = 1 };
        await using (var r = new LeaseRenewer(d, TimeSpan.FromMilliseconds(20), CancellationToken.None))
        {
            // A successful renewal can only come after the failed one: wait for it rather than a fixed time, so a
            // loaded machine cannot pass this before the failure has even happened.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (d.Renewals < 1 && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.True(d.Renewals >= 1, "no renewal succeeded after the single failure");
            Assert.False(r.Token.IsCancellationRequested);
        }

        var d2 = new CountingDelivery { FailWith = new PipelineException(PipelineErrorReason.ServiceUnavailable, "503"), FailTimes = 2 };
        await using var r2 = new LeaseRenewer(d2, TimeSpan.FromMilliseconds(20), CancellationToken.None);
        await Task.Delay(Timeout.Infinite, r2.Token).ContinueWith(_ => { }).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(90, 30)]
    [InlineData(2, 1)]
    [InlineData(-5, 1)]
    public void IntervalShouldBeAThirdOfWhatIsLeftAndAtLeastOneSecond(int leftSeconds, int expectedSeconds)
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), LeaseRenewer.IntervalFor(now.AddSeconds(leftSeconds), now));
    }

    private sealed class CountingDelivery : IJobDelivery
    {
        private int _renewals;

        public Exception? FailWith { get; init; }

        public int FailTimes { get; set; } = int.MaxValue;

        public int Renewals => Volatile.Read(ref _renewals);

        public string MessageId => "m";

        public int DeliveryCount => 1;

        public BinaryData Body => BinaryData.Empty;

        public DateTimeOffset LeaseExpiresAt => DateTimeOffset.UtcNow.AddSeconds(30);

        public Task RenewLeaseAsync(CancellationToken cancellationToken = default)
        {
            if (FailWith is not null && FailTimes-- > 0) throw FailWith;
            Interlocked.Increment(ref _renewals);
            return Task.CompletedTask;
        }

        public Task CompleteAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task AbandonAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}

using MRISpineSeg.Pipeline.Queues;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>
/// Wraps a real delivery and records how it was settled, and optionally what a check said at that moment (e.g. whether
/// the mask existed when the message was completed). Everything is passed on to the transport unchanged.
/// </summary>
public sealed class SettlementProbe(IJobDelivery inner, Func<Task<bool>>? check = null) : IJobDelivery
{
    private readonly List<string> _settlements = [];
    private int _renewing;

    /// <summary>Holds each renewal this long before passing it on, so that a settlement can be timed to meet one in flight.</summary>
    public TimeSpan RenewalDelay { get; init; }

    /// <summary>Set when the first renewal starts.</summary>
    public TaskCompletionSource RenewalStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the message was settled while a renewal was still in flight (the settlement may use a stale lease token).</summary>
    public bool SettledDuringRenewal { get; private set; }

    /// <summary>"complete", "abandon", "dead-letter:&lt;reason&gt;", each followed by "+check" or "-check" when a check was given.</summary>
    public IReadOnlyList<string> Settlements => _settlements;

    public string MessageId => inner.MessageId;

    public int DeliveryCount => inner.DeliveryCount;

    public BinaryData Body => inner.Body;

    public DateTimeOffset LeaseExpiresAt => inner.LeaseExpiresAt;

    public async Task RenewLeaseAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _renewing);
        RenewalStarted.TrySetResult();
        try
        {
            await Task.Delay(RenewalDelay, cancellationToken);
            await inner.RenewLeaseAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _renewing);
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await RecordAsync("complete");
        await inner.CompleteAsync(cancellationToken);
    }

    public async Task AbandonAsync(CancellationToken cancellationToken = default)
    {
        await RecordAsync("abandon");
        await inner.AbandonAsync(cancellationToken);
    }

    public async Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default)
    {
        await RecordAsync("dead-letter:" + reason);
        await inner.DeadLetterAsync(reason, description, cancellationToken);
    }

    private async Task RecordAsync(string what)
    {
        if (Volatile.Read(ref _renewing) > 0) SettledDuringRenewal = true;
        _settlements.Add(check is null ? what : what + (await check() ? "+check" : "-check"));
    }
}

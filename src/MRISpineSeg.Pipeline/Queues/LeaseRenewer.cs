namespace MRISpineSeg.Pipeline.Queues;

/// <summary>
/// Keeps a delivery's lease alive while work runs, renewing at a third of the lease so that two renewals may fail
/// before it lapses. When the lease is lost (or renewal keeps failing), <see cref="Token"/> is cancelled so the work
/// stops instead of writing results nobody will settle; the message is then redelivered to someone else.
/// </summary>
public sealed class LeaseRenewer : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LeaseRenewer(IJobDelivery delivery, TimeSpan interval, CancellationToken workToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "must be positive");
        _cts = CancellationTokenSource.CreateLinkedTokenSource(workToken);
        _loop = RunAsync(delivery, interval);
    }

    /// <summary>Cancelled when the caller cancels or the lease is lost.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Why the lease was lost, when it was.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Picks the renewal interval for a lease ending at <paramref name="expiresAt"/>: a third of what is left, at least 1 s.</summary>
    public static TimeSpan IntervalFor(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var third = (expiresAt - now) / 3;
        return third < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : third;
    }

    private int _disposed;

    /// <summary>Stops renewing and waits for a renewal in flight; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping is the normal end
        }

        _cts.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(IJobDelivery delivery, TimeSpan interval)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _cts.Token);
        var failures = 0;
        while (!both.IsCancellationRequested)
        {
            await Task.Delay(interval, both.Token).ConfigureAwait(false);
            try
            {
                // Not cancelled by stopping: a renewal already sent may change the lease token (a storage queue's pop
                // receipt), so stopping waits for it to finish rather than abandoning it mid-flight.
                await delivery.RenewLeaseAsync(_cts.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (_cts.IsCancellationRequested)
            {
                return;
            }
            catch (PipelineException ex) when (ex.Reason == PipelineErrorReason.LeaseLost || ++failures >= 2)
            {
                Failure = ex;
                await _cts.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (PipelineException)
            {
                // one transient failure: the lease still has two thirds left; try again next round
            }
        }
    }
}

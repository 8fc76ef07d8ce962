using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Failures;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Cli.Local;

/// <summary>
/// The local stand-in for Event Grid blob triggers: lists a container and hands every blob version without a receipt
/// to a handler. Because receipts live in a table, a restarted host neither redoes a handled upload nor misses one
/// that arrived while it was down. What a handler throws is decided by <see cref="FailurePolicy"/>: a transient failure
/// (storage down) gets no receipt and is tried on every pass until it passes; a bounded one (unknown, local I/O) is
/// tried <see cref="RetryDecision.BoundedAttempts"/> times; a permanent one, or a bounded one out of attempts, is
/// handed to <see cref="GiveUp"/> (which writes the sender's error report) and receipted as failed. So one bad blob
/// neither stops the host nor loops forever, and nothing is given up without a report.
/// </summary>
public sealed class ContainerWatcher(PipelineStorage storage, UploadReceipts receipts, string container, Func<string, CancellationToken, Task<string>> handle, ILogger logger)
{
    private readonly Dictionary<(string Name, string ETag), int> _attempts = [];

    /// <summary>Records why a blob will not be handled (name, ETag, decision, the failure); called once per given-up blob version.</summary>
    public Func<string, string, RetryDecision, Exception, CancellationToken, Task>? GiveUp { get; init; }

    /// <summary>Only blobs whose names start with this are watched (null: the whole container).</summary>
    public string? Prefix { get; init; }

    public string Container => container;

    // The receipts, read once per watcher and kept up to date here: passes run every second, and re-reading the whole
    // partition each time would grow with every upload ever handled. A restart builds a new watcher and reads them again.
    private Dictionary<string, string>? _done;

    /// <summary>One pass over the container; returns how many blobs were handed to the handler.</summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken = default)
    {
        var done = _done ??= await receipts.LoadAsync(container, cancellationToken).ConfigureAwait(false);
        var handled = 0;
        var client = storage.Container(container);
        var pending = new List<(string Name, string ETag)>();
        try
        {
            await foreach (var item in client.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = Prefix }, cancellationToken).ConfigureAwait(false))
            {
                var etag = item.Properties.ETag?.ToString() ?? string.Empty;
                if (!done.TryGetValue(item.Name, out var seen) || seen != etag) pending.Add((item.Name, etag));
            }
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"list container {container}");
        }

        foreach (var (name, etag) in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string outcome;
            try
            {
                outcome = await handle(name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var decision = FailurePolicy.Decide(ex);
                var attempt = _attempts[(name, etag)] = _attempts.GetValueOrDefault((name, etag)) + 1;
                if (decision.ShouldRetry(attempt))
                {
                    logger.LogWarning("{Container}/{Blob}: {Kind} failure {Reason} (attempt {Attempt}): {Error}; will try again on the next scan", container, name, decision.Kind, decision.Reason, attempt, ex.Message);
                    continue;
                }

                // Permanent, or out of attempts: the sender gets a report, the host stays up, the blob is not retried.
                outcome = "Failed: " + decision.Reason;
                logger.LogError(ex, "{Container}/{Blob}: {Reason} after {Attempt} attempt(s): {Error}; not retried", container, name, decision.Reason, attempt, ex.Message);
                if (GiveUp is { } giveUp)
                {
                    try
                    {
                        await giveUp(name, etag, decision, ex, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception reportFailure) when (reportFailure is not OperationCanceledException)
                    {
                        // The report could not be written (storage down): no receipt, so the next pass tries again.
                        logger.LogWarning("{Container}/{Blob}: the error report could not be written ({Error}); will try again", container, name, reportFailure.Message);
                        continue;
                    }
                }
            }

            await receipts.RecordAsync(container, name, etag, outcome, cancellationToken).ConfigureAwait(false);
            _attempts.Remove((name, etag));
            done[name] = etag;
            handled++;
        }

        return handled;
    }
}

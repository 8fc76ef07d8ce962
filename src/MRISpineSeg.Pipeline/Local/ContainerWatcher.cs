using Azure;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Local;

/// <summary>
/// The local stand-in for Event Grid blob triggers: lists a container and hands every blob version without a receipt
/// to a handler. Because receipts live in a table, a restarted host neither redoes a handled upload nor misses one
/// that arrived while it was down. A handler that throws a transient error gets no receipt and is tried next scan; a
/// permanent one is logged and receipted as failed, so one bad blob neither stops the host nor loops forever.
/// </summary>
public sealed class ContainerWatcher(PipelineStorage storage, UploadReceipts receipts, string container, Func<string, CancellationToken, Task<string>> handle, ILogger logger)
{
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
            catch (Exception ex) when (ex is not OperationCanceledException && Handlers.FailureClassifier.IsTransient(ex))
            {
                logger.LogWarning("{Container}/{Blob}: {Error}; will try again on the next scan", container, name, ex.Message);
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A permanent failure the handler did not turn into an error report: keep the host alive, do not retry.
                outcome = "Failed: " + Handlers.FailureClassifier.ReasonCode(ex);
                logger.LogError(ex, "{Container}/{Blob}: {Error}; not retried", container, name, ex.Message);
            }

            await receipts.RecordAsync(container, name, etag, outcome, cancellationToken).ConfigureAwait(false);
            done[name] = etag;
            handled++;
        }

        return handled;
    }
}

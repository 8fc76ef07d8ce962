using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Failures;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;

namespace MRISpineSeg.Cli.Local;

/// <summary>
/// The whole pipeline in one process over Azurite, for machines without the Functions host: the same handler classes
/// the Functions call, fed by <see cref="ContainerWatcher"/>s instead of Event Grid, plus the worker loop.
/// Runs until cancelled, or until the worker exits idle (<see cref="PipelineSettings.IdleExitSeconds"/> &gt; 0).
/// </summary>
public sealed class LocalPipelineHost(
    PipelineStorage storage,
    PipelineSettings options,
    ScanUploadedHandler scans,
    ScoreSubmissionHandler? scoring,
    JobReceiveLoop worker,
    ILogger<LocalPipelineHost> logger)
{
    /// <summary>Only blobs whose names start with this are watched (null: the whole containers).</summary>
    public string? WatchPrefix { get; init; }

    /// <summary>How often the containers are listed for new uploads.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<WorkerSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var receipts = new UploadReceipts(storage.Clients.Tables);
        var watchers = new List<ContainerWatcher>
        {
            new(storage, receipts, ContainerNames.Scans, async (name, ct) => (await scans.HandleAsync(name, ct).ConfigureAwait(false)).Outcome.ToString(), logger)
            {
                Prefix = WatchPrefix,
                GiveUp = (name, etag, decision, ex, ct) => scans.RecordGiveUpAsync(name, etag, decision.Reason, ex.Message, ct),
            },
        };
        if (scoring is not null)
        {
            watchers.Add(new(storage, receipts, ContainerNames.Submissions, async (name, ct) => (await scoring.HandleAsync(name, ct).ConfigureAwait(false)).Outcome.ToString(), logger)
            {
                Prefix = WatchPrefix,
                GiveUp = (name, etag, decision, ex, ct) => scoring.RecordGiveUpAsync(name, etag, decision.Reason, ex.Message, ct),
            });
        }
        else
            logger.LogWarning("No scorer is configured: uploads to {Container} are not scored by this host", ContainerNames.Submissions);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = WatchAsync(watchers, stop.Token);
        try
        {
            return await worker.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await watching.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the normal end of watching
            }
        }
    }

    /// <summary>Creates the containers, tables and queue, waiting out storage that does not answer yet; a refusal (permanent) ends the host with its reason.</summary>
    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await storage.EnsureCreatedAsync(options.JobQueueName, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && FailurePolicy.Decide(ex).Kind != RetryKind.Permanent)
            {
                logger.LogError("Storage is not answering ({Error}); trying again in {Backoff}", ex.Message, backoff);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task WatchAsync(IReadOnlyList<ContainerWatcher> watchers, CancellationToken cancellationToken)
    {
        logger.LogInformation("Watching {Containers} every {Interval}", string.Join(", ", watchers.Select(w => w.Container)), PollInterval);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var w in watchers)
            {
                try
                {
                    var n = await w.ScanOnceAsync(cancellationToken).ConfigureAwait(false);
                    if (n > 0) logger.LogInformation("Handled {Count} new blob(s) in {Container}", n, w.Container);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    // Storage that hangs, refuses or lost a container must not end the host: say so, and try again on
                    // the next pass (the blobs without a receipt are still there).
                    var decision = FailurePolicy.Decide(ex);
                    logger.LogError("Scanning {Container} failed ({Reason}: {Error}); trying again in {Interval}", w.Container, decision.Reason, ex.Message, PollInterval);
                }
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}

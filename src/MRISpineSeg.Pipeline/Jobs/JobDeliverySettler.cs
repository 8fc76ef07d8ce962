using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Failures;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.Pipeline.Jobs;

/// <summary>
/// Settles one delivery, the same way on every transport:
/// <list type="number">
/// <item>a body that does not parse, or a schema version this build does not read, is dead-lettered (<c>InvalidMessage</c>);</item>
/// <item>a delivery past <see cref="PipelineSettings.MaxDeliveryCount"/> is dead-lettered (<c>MaxDeliveryCountExceeded</c>) — this is
/// how a job whose worker died every time ends, instead of circling forever;</item>
/// <item>otherwise the lease is renewed while <see cref="SegmentScanHandler"/> runs; success completes the message,
/// a transient failure abandons it, a permanent one writes <c>masks/&lt;name&gt;.error.json</c>, marks the job failed and dead-letters it.</item>
/// </list>
/// </summary>
public sealed class JobDeliverySettler(SegmentScanHandler handler, PipelineStorage storage, PipelineSettings options, ILogger<JobDeliverySettler> logger)
{
    private readonly JobStatusStore _status = storage.JobStatus();
    private readonly ScanFailureRecorder _failures = new(storage);

    public async Task<ProcessOutcome> ProcessAsync(IJobDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        JobMessage job;
        try
        {
            job = JobMessageCodec.Parse(delivery.Body.ToMemory().Span);
        }
        catch (PipelineException ex)
        {
            logger.LogError("Message {MessageId} dead-lettered: {Error}", delivery.MessageId, ex.Message);
            await delivery.DeadLetterAsync(ex.Reason.ToString(), ex.Message, cancellationToken).ConfigureAwait(false);
            return ProcessOutcome.DeadLettered;
        }

        // The job's span continues the upload check's trace (carried in the message); every log line below is in it.
        using var span = JobSpans.StartJob(job, delivery.DeliveryCount, DateTimeOffset.UtcNow);
        if (delivery.DeliveryCount > options.MaxDeliveryCount)
        {
            if (await handler.IsDoneAsync(job, cancellationToken).ConfigureAwait(false))
            {
                // The mask was written but every completion was lost: the work is done, so complete rather than fail it.
                await delivery.CompleteAsync(cancellationToken).ConfigureAwait(false);
                return ProcessOutcome.Completed;
            }

            var why = $"job {job.JobId} for scans/{job.BlobName} was delivered {delivery.DeliveryCount} times without completing (limit {options.MaxDeliveryCount}); the worker failed or died every time";
            return await FailAsync(delivery, job, nameof(PipelineErrorReason.MaxDeliveryCountExceeded), why, cancellationToken).ConfigureAwait(false);
        }

        // The renewer is stopped before any settlement: a renewal in flight changes the lease token (a storage queue's
        // pop receipt), and a completion racing it would be refused as if the lease were lost.
        var (failure, leaseFailure) = await RunWithLeaseAsync(job, delivery, cancellationToken).ConfigureAwait(false);
        if (leaseFailure is not null && failure is not null && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Job {JobId}: lease lost mid-job ({Error}); stopping, another delivery will redo it", job.JobId, leaseFailure.Message);
            return ProcessOutcome.LeaseLost;
        }

        if (failure is not null)
        {
            var decision = FailurePolicy.Decide(failure);
            if (!decision.ShouldRetry(delivery.DeliveryCount))
            {
                var message = decision.Kind == RetryKind.Bounded
                    ? $"{failure.Message} (failed {delivery.DeliveryCount} times; given up after {RetryDecision.BoundedAttempts} attempts)"
                    : failure.Message;
                return await FailAsync(delivery, job, decision.Reason, message, cancellationToken).ConfigureAwait(false);
            }

            if (delivery.DeliveryCount >= options.MaxDeliveryCount)
                return await FailAsync(delivery, job, nameof(PipelineErrorReason.MaxDeliveryCountExceeded), $"job {job.JobId}: still failing after {delivery.DeliveryCount} deliveries: {failure.Message}", cancellationToken).ConfigureAwait(false);
            logger.LogWarning(failure, "Job {JobId}: {Kind} failure ({Reason}) on delivery {Delivery}; abandoning for a retry", job.JobId, decision.Kind, decision.Reason, delivery.DeliveryCount);
            await _status.MarkRetryingAsync(job.JobId, failure.Message, cancellationToken).ConfigureAwait(false);
            await delivery.AbandonAsync(cancellationToken).ConfigureAwait(false);
            return ProcessOutcome.Abandoned;
        }

        try
        {
            await delivery.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineException ex) when (ex.Reason == PipelineErrorReason.LeaseLost)
        {
            // The outputs are written; the redelivery will find the mask and complete at once.
            logger.LogWarning("Job {JobId}: done, but the lease ended before completion; the redelivery will find the mask", job.JobId);
            return ProcessOutcome.LeaseLost;
        }

        return ProcessOutcome.Completed;
    }

    /// <summary>Runs the handler while a renewer keeps the lease; returns what the handler threw (if anything) and why the lease was lost (if it was), with the renewer already stopped.</summary>
    private async Task<(Exception? Failure, Exception? LeaseFailure)> RunWithLeaseAsync(JobMessage job, IJobDelivery delivery, CancellationToken cancellationToken)
    {
        await using var lease = new LeaseRenewer(delivery, LeaseRenewer.IntervalFor(delivery.LeaseExpiresAt, DateTimeOffset.UtcNow), cancellationToken);
        try
        {
            var outcome = await handler.HandleAsync(job, delivery.DeliveryCount, lease.Token, delivery.MessageId).ConfigureAwait(false);
            // Which of the three successes it was is what an on-call engineer asks first about a duplicate or a redelivery.
            logger.LogInformation("Job {JobId} for scans/{Blob}: {Outcome} on delivery {Delivery}", job.JobId, job.BlobName, outcome switch
            {
                SegmentScanOutcome.Written => "outputs written",
                SegmentScanOutcome.AlreadyDone => "outputs already written for this scan version; nothing rewritten",
                SegmentScanOutcome.ClaimedElsewhere => "claimed by another delivery; this one did no work",
                _ => outcome.ToString(),
            }, delivery.DeliveryCount);
            return (null, lease.Failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down (SIGTERM, Ctrl-C): release the job now, so another worker takes it at once instead of
            // after the whole lease, and the status says so instead of "running".
            await lease.DisposeAsync().ConfigureAwait(false);
            await ReleaseAsync(job, delivery).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            return (ex, lease.Failure);
        }
    }

    /// <summary>Abandons the delivery and marks the job queued again, within a few seconds, whatever the caller's token says.</summary>
    private async Task ReleaseAsync(JobMessage job, IJobDelivery delivery)
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _status.MarkRetryingAsync(job.JobId, "the worker was stopped; released for another worker", grace.Token).ConfigureAwait(false);
            await delivery.AbandonAsync(grace.Token).ConfigureAwait(false);
            logger.LogInformation("Job {JobId}: released (the worker is stopping)", job.JobId);
        }
        catch (Exception ex) when (ex is PipelineException or OperationCanceledException)
        {
            logger.LogWarning("Job {JobId}: could not be released while stopping ({Error}); it comes back when its lease ends", job.JobId, ex.Message);
        }
    }

    private async Task<ProcessOutcome> FailAsync(IJobDelivery delivery, JobMessage job, string reason, string message, CancellationToken cancellationToken)
    {
        if (reason == nameof(PipelineErrorReason.BlobSuperseded))
        {
            // Not a failure of anyone's upload: a newer version replaced the scan and has its own job. No error report
            // (it would speak against the current version) and no dead letter; the status says what happened.
            logger.LogInformation("Job {JobId} for scans/{BlobName}: superseded by a newer upload; nothing written", job.JobId, job.BlobName);
            await _status.MarkFailedAsync(job.JobId, job.BlobName, $"{reason}: {message}", cancellationToken).ConfigureAwait(false);
            await delivery.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return ProcessOutcome.Completed;
        }

        logger.LogError("Job {JobId} for scans/{BlobName} failed: {Reason}: {Message}", job.JobId, job.BlobName, reason, message);
        await _failures.RecordAsync(job, "segment", reason, message, cancellationToken).ConfigureAwait(false);
        await delivery.DeadLetterAsync(reason, message, cancellationToken).ConfigureAwait(false);
        return ProcessOutcome.DeadLettered;
    }
}

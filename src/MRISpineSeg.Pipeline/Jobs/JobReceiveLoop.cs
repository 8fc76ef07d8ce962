using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;

namespace MRISpineSeg.Pipeline.Jobs;

/// <summary>
/// The worker loop: receive, process, repeat, one job at a time (one ONNX session saturates the machine).
/// Returns when the queue stayed empty for <see cref="PipelineSettings.IdleExit"/> — a KEDA event-driven job then
/// ends — or when cancelled. Infrastructure failures between jobs are logged and retried with a back-off, never fatal.
/// </summary>
public sealed class JobReceiveLoop(IJobQueue queue, JobDeliverySettler processor, PipelineSettings options, ILogger<JobReceiveLoop> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Runs until idle or cancelled; returns counts by outcome.</summary>
    public async Task<WorkerSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var summary = new WorkerSummary();
        var lastWork = _time.GetUtcNow();
        var backoff = TimeSpan.FromMilliseconds(500);
        logger.LogInformation("Worker listening on {Queue} (idle exit after {Idle})", queue.Name, options.IdleExitSeconds == 0 ? "never" : options.IdleExit);
        while (!cancellationToken.IsCancellationRequested)
        {
            IJobDelivery? delivery;
            try
            {
                delivery = await queue.ReceiveAsync(options.ReceiveWait, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(500);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever the queue throws (a hang that exhausted the SDK's retries, a refused connection), the worker
                // stays up and backs off; it resumes when the service answers again.
                logger.LogWarning("Receive from {Queue} failed ({Reason}: {Error}); retrying in {Backoff}", queue.Name, Failures.FailurePolicy.ReasonCode(ex), ex.Message, backoff);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                continue;
            }

            if (delivery is null)
            {
                if (options.IdleExitSeconds > 0 && _time.GetUtcNow() - lastWork >= options.IdleExit)
                {
                    logger.LogInformation("Queue {Queue} idle for {Idle}; worker exiting after {Count} jobs", queue.Name, options.IdleExit, summary.Total);
                    break;
                }

                continue;
            }

            try
            {
                summary.Add(await processor.ProcessAsync(delivery, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Settling or recording failed (storage or bus down, or a bug): the lease lapses and the message comes
                // back, bounded by its delivery count. One job's failure never ends the worker.
                logger.LogWarning(ex, "Job message {MessageId} could not be finished ({Reason}: {Error}); it will be redelivered", delivery.MessageId, Failures.FailurePolicy.ReasonCode(ex), ex.Message);
                summary.Add(ProcessOutcome.LeaseLost);
            }

            lastWork = _time.GetUtcNow();
        }

        return summary;
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Jobs;

namespace MRISpineSeg.Worker;

/// <summary>Runs the worker loop once, then stops the host: exit code 0 when the queue went idle, 1 when the loop failed.</summary>
internal sealed class QueueDrainService(JobReceiveLoop worker, IHostApplicationLifetime lifetime, ILogger<QueueDrainService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var summary = await worker.RunAsync(stoppingToken).ConfigureAwait(false);
            logger.LogInformation("Worker done: {Summary}", summary);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Worker stopped by the host");
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "Worker failed");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}

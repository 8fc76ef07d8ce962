using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Status;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>Issue 13 F8 (SIGTERM): a stopping worker releases its job at once instead of leaving it "running" for a whole lease.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerStopTests(Azurite azurite)
{
    [Fact]
    public async Task StoppingMidJobShouldReleaseTheJobForAnotherWorkerAtOnce()
    {
        await using var p = await TestPipeline.StartAsync(azurite, leaseSeconds: 120);
        var name = await p.UploadScanAsync("Case23.nii.gz", TestVolumes.ScanNiiGz());
        var jobId = (await p.Uploads.HandleAsync(name)).JobId!;
        var delivery = await p.ReceiveOneAsync();
        p.Segmenter.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // a long job
        using var stop = new CancellationTokenSource();

        var working = p.Processor.ProcessAsync(delivery, stop.Token);
        await p.Segmenter.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Running, (await p.Status.GetAsync(jobId))!.State);
        await stop.CancelAsync(); // what SIGTERM does to the host's token
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => working);

        var status = (await p.Status.GetAsync(jobId))!;
        Assert.Equal(JobState.Queued, status.State);
        Assert.Contains("the worker was stopped", status.Reason, StringComparison.Ordinal);
        var again = await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(5)); // back now, not after the 120 s lease
        Assert.NotNull(again);
        Assert.Equal(2, again.DeliveryCount);
    }
}

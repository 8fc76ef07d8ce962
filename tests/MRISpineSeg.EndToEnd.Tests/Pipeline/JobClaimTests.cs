using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// Issue 13 F8 (double processing), on Azurite with storage-queue messages: several hosts may queue the same job, and a
/// job is claimed (an ETag-conditional queued → running update of its status row) before any work, so it is
/// segmented once. The same message redelivered after its worker died takes its own claim over.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobClaimTests(Azurite azurite)
{
    [Fact]
    public async Task ADuplicateMessageForARunningJobShouldDoNoWork()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case21.nii.gz", TestVolumes.ScanNiiGz());
        await p.Uploads.HandleAsync(name);
        var original = await p.ReceiveOneAsync();
        var job = JobMessageCodec.Parse(original.Body.ToMemory().Span);
        await p.Queue.SendAsync(job); // a second host's message for the same upload
        var duplicate = await p.ReceiveOneAsync();
        Assert.NotEqual(original.MessageId, duplicate.MessageId);
        p.Segmenter.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = p.Processor.ProcessAsync(original);
        await p.Segmenter.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await p.Processor.ProcessAsync(duplicate);
        p.Segmenter.Gate.SetResult();

        Assert.Equal(ProcessOutcome.Completed, second); // completed without work: the claim was taken
        Assert.Equal(ProcessOutcome.Completed, await first);
        Assert.Equal(1, p.Segmenter.Calls);
        Assert.Equal(JobState.Succeeded, (await p.Status.GetAsync(job.JobId))!.State);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task TheClaimShouldBeConditionalAndTakenOverOnlyByTheSameMessageOrWhenStale()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case22.nii.gz", TestVolumes.ScanNiiGz());
        var jobId = (await p.Uploads.HandleAsync(name)).JobId!;
        var job = JobMessageCodec.Parse((await p.ReceiveOneAsync()).Body.ToMemory().Span);
        var now = DateTimeOffset.UtcNow;
        var lease = TimeSpan.FromSeconds(30);

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => p.Status.TryClaimAsync(job, $"message-{i}", 1, now, lease)));
        Assert.Single(claims, c => c); // six racing messages: exactly one wins

        var winner = $"message-{Array.IndexOf(claims, true)}";
        Assert.True(await p.Status.TryClaimAsync(job, winner, 2, now.AddSeconds(1), lease)); // its own redelivery
        Assert.False(await p.Status.TryClaimAsync(job, "message-x", 1, now.AddSeconds(5), lease)); // fresh, someone else's
        Assert.True(await p.Status.TryClaimAsync(job, "message-x", 1, now.AddSeconds(40), lease)); // stale: its worker died
        Assert.Equal(JobState.Running, (await p.Status.GetAsync(jobId))!.State);
    }
}

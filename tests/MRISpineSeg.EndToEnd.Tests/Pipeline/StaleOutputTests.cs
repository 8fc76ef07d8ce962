using MRISpineSeg.Cli;
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
/// Issue 13 F5 on Azurite: a scan's mask, preview, stats and error report always belong to its current version, all
/// together, and <c>local wait</c> judges only outputs made from the current version.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StaleOutputTests(Azurite azurite)
{
    [Fact]
    public async Task OverwrittenWhileQueuedShouldLeaveOnlyTheNewVersionsOutputsAndNoErrorReport()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case31.nii.gz", TestVolumes.ScanNiiGz());
        var v1 = await p.Uploads.HandleAsync(name);
        await p.UploadScanAsync("Case31.nii.gz", TestVolumes.ScanNiiGz()); // v2, while v1 waits in the queue
        var v2 = await p.Uploads.HandleAsync(name);

        var summary = await p.Worker().RunAsync();

        Assert.Equal(0, summary.DeadLettered);
        Assert.False(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.ScanErrorName(name)));
        var current = await CurrentETagAsync(p, name);
        foreach (var output in new[] { BlobLayout.MaskName(name), BlobLayout.PreviewName(name), BlobLayout.StatsName(name) })
            Assert.Equal(current, await SourceAsync(p, output));
        Assert.Equal(JobState.Succeeded, (await p.Status.GetAsync(v2.JobId!))!.State);
        Assert.StartsWith("BlobSuperseded", (await p.Status.GetAsync(v1.JobId!))!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGoodScanReplacedByABadOneShouldLoseItsMaskAndWaitShouldReportTheError()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case32.nii.gz", TestVolumes.ScanNiiGz());
        await p.Uploads.HandleAsync(name);
        await p.Worker().RunAsync();
        Assert.True(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.MaskName(name)));

        await p.UploadScanAsync("Case32.nii.gz", TestVolumes.NotAVolume());
        Assert.Equal(ScanUploadedOutcome.Rejected, (await p.Uploads.HandleAsync(name)).Outcome);

        foreach (var output in new[] { BlobLayout.MaskName(name), BlobLayout.PreviewName(name), BlobLayout.StatsName(name) })
            Assert.False(await p.ExistsAsync(ContainerNames.Masks, output), output);
        var (code, stdout, stderr) = Wait(BlobLayout.MaskName(name));
        Assert.Equal(CommandIO.BadInput, code);
        Assert.DoesNotContain("ready", stdout, StringComparison.Ordinal);
        Assert.Contains("UnknownFormat", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadScanReplacedByAGoodOneShouldLoseItsErrorAndWaitShouldWaitForTheNewMask()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case33.nii.gz", TestVolumes.NotAVolume());
        await p.Uploads.HandleAsync(name);
        Assert.True(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.ScanErrorName(name)));

        await p.UploadScanAsync("Case33.nii.gz", TestVolumes.ScanNiiGz());
        Assert.Equal(ScanUploadedOutcome.Queued, (await p.Uploads.HandleAsync(name)).Outcome);
        Assert.False(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.ScanErrorName(name)));

        var waiting = Task.Run(() => Wait(BlobLayout.MaskName(name), timeout: 60));
        await p.Worker().RunAsync();
        var (code, stdout, stderr) = await waiting;
        Assert.True(code == 0, stderr);
        Assert.Contains($"ready masks/{BlobLayout.MaskName(name)}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerStillOnTheOldVersionShouldNotOverwriteTheNewVersionsOutputs()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case34.nii.gz", TestVolumes.ScanNiiGz());
        await p.Uploads.HandleAsync(name);
        var oldDelivery = await p.ReceiveOneAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.Segmenter.Gate = gate;
        var slow = p.Processor.ProcessAsync(oldDelivery); // downloads v1, then waits inside segmentation
        await p.Segmenter.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        p.Segmenter.Gate = null;

        await p.UploadScanAsync("Case34.nii.gz", TestVolumes.ScanNiiGz()); // v2, segmented by a second worker meanwhile
        await p.Uploads.HandleAsync(name);
        Assert.Equal(ProcessOutcome.Completed, await p.Processor.ProcessAsync(await p.ReceiveOneAsync()));
        gate.SetResult(); // now the first worker, still on v1, goes on to write
        await slow;

        var current = await CurrentETagAsync(p, name);
        foreach (var output in new[] { BlobLayout.MaskName(name), BlobLayout.PreviewName(name), BlobLayout.StatsName(name) })
            Assert.Equal(current, await SourceAsync(p, output));
        Assert.False(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.ScanErrorName(name)));
    }

    private (int Code, string Out, string Err) Wait(string maskName, int timeout = 5)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = SpinesegApp.Run(["local", "wait", "masks", maskName, "--timeout", timeout.ToString(System.Globalization.CultureInfo.InvariantCulture), "--connection", azurite.ConnectionString], o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static async Task<string> CurrentETagAsync(TestPipeline p, string scan)
        => (await p.Blob(ContainerNames.Scans, scan).GetPropertiesAsync()).Value.ETag.ToString().Trim('"');

    private static async Task<string?> SourceAsync(TestPipeline p, string output)
        => (await p.Blob(ContainerNames.Masks, output).GetPropertiesAsync()).Value.Metadata.TryGetValue(BlobLayout.SourceETagMetadata, out var s) ? s : null;
}

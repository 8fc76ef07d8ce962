using System.Text;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// The wait protocol behind <c>spineseg local wait</c> and <c>local submit --wait</c>, on real Azurite: an output of the
/// current version is an answer, its error report is a failure at once, an earlier version's output is neither, and a
/// wait that gets no answer ends naming what is missing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutputWaiterTests(Azurite azurite)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task OutputOfTheCurrentScanShouldBeReadyWhenItAppears()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var scan = await p.UploadScanAsync("Case1.nii.gz", TestVolumes.ScanNiiGz());
        var ready = new List<string>();
        var waiter = new OutputWaiter(p.Storage) { PollInterval = Poll };

        var waiting = waiter.WaitAsync(ContainerNames.Masks, [BlobLayout.MaskName(scan), BlobLayout.StatsName(scan)], TimeSpan.FromSeconds(30), n => { lock (ready) ready.Add(n); return Task.CompletedTask; });
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);
        await WriteOutputAsync(p, BlobLayout.StatsName(scan), await ETagOfAsync(p, ContainerNames.Scans, scan));
        await WriteOutputAsync(p, BlobLayout.MaskName(scan), await ETagOfAsync(p, ContainerNames.Scans, scan));
        await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal([BlobLayout.MaskName(scan), BlobLayout.StatsName(scan)], ready.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ErrorReportOfTheCurrentScanShouldFailTheWaitAtOnceWithItsReason()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var scan = await p.UploadScanAsync("Bad.nii.gz", TestVolumes.NotAVolume());
        await p.Uploads.HandleAsync(scan); // the real upload check writes masks/<prefix>Bad.error.json
        var waiter = new OutputWaiter(p.Storage) { PollInterval = Poll };

        var started = DateTimeOffset.UtcNow;
        var ex = await Assert.ThrowsAsync<PipelineException>(() => waiter.WaitAsync(ContainerNames.Masks, [BlobLayout.MaskName(scan)], TimeSpan.FromSeconds(60)));

        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(20), "the wait should end at the report, not the timeout");
        Assert.Equal(PipelineErrorReason.InvalidUpload, ex.Reason);
        Assert.Contains($"masks/{BlobLayout.ScanErrorName(scan)}: UnknownFormat:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputOrReportOfAnEarlierVersionShouldNotCountAsAnAnswer()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var scan = await p.UploadScanAsync("Case2.nii.gz", TestVolumes.ScanNiiGz());
        var first = await ETagOfAsync(p, ContainerNames.Scans, scan);
        await WriteOutputAsync(p, BlobLayout.MaskName(scan), first);
        await WriteOutputAsync(p, BlobLayout.ScanErrorName(scan), first, Encoding.UTF8.GetBytes("{\"reason\":\"InvalidScan\",\"message\":\"old\"}"));
        await p.UploadScanAsync("Case2.nii.gz", TestVolumes.ScanNiiGz()); // a newer version, not segmented yet
        var waiter = new OutputWaiter(p.Storage) { PollInterval = Poll };

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => waiter.WaitAsync(ContainerNames.Masks, [BlobLayout.MaskName(scan)], TimeSpan.FromSeconds(2)));
        Assert.Contains($"still missing in masks: {BlobLayout.MaskName(scan)}", ex.Message, StringComparison.Ordinal);

        await WriteOutputAsync(p, BlobLayout.MaskName(scan), await ETagOfAsync(p, ContainerNames.Scans, scan));
        await waiter.WaitAsync(ContainerNames.Masks, [BlobLayout.MaskName(scan)], TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ScoreOfTheCurrentSubmissionShouldBeReadyAndAnEarlierOnesShouldNot()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var submission = BlobLayout.ParseSubmission($"{p.Prefix.TrimEnd('/')}/run1.zip");
        await p.Blob(ContainerNames.Submissions, submission.BlobName).UploadAsync(new BinaryData([1, 2, 3]), overwrite: true);
        var score = BlobLayout.ScoreJsonName(submission);
        await WriteOutputAsync(p, score, "an-earlier-upload", container: ContainerNames.Scores);
        var waiter = new OutputWaiter(p.Storage) { PollInterval = Poll };

        await Assert.ThrowsAsync<TimeoutException>(() => waiter.WaitAsync(ContainerNames.Scores, [score], TimeSpan.FromSeconds(1)));
        await WriteOutputAsync(p, score, await ETagOfAsync(p, ContainerNames.Submissions, submission.BlobName), container: ContainerNames.Scores);
        await waiter.WaitAsync(ContainerNames.Scores, [score], TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitThatGetsNoAnswerShouldTimeOutNamingEveryMissingBlob()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var waiter = new OutputWaiter(p.Storage) { PollInterval = Poll };

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => waiter.WaitAsync(ContainerNames.Masks, [p.Prefix + "Case9.nii.gz", p.Prefix + "Case8.nii.gz"], TimeSpan.FromSeconds(1)));

        Assert.Contains($"waited 1 s; still missing in masks: {p.Prefix}Case8.nii.gz, {p.Prefix}Case9.nii.gz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NameThatLeavesTheContainerShouldBeRefusedBeforeAnyLook()
    {
        await using var p = await TestPipeline.StartAsync(azurite);

        var ex = await Assert.ThrowsAsync<PipelineException>(() => new OutputWaiter(p.Storage).WaitAsync(ContainerNames.Masks, ["../ground-truth/mask_case1.nii.gz"], TimeSpan.FromSeconds(5)));

        Assert.Equal(PipelineErrorReason.InvalidBlobName, ex.Reason);
    }

    private static async Task<string> ETagOfAsync(TestPipeline p, string container, string name)
        => (await p.Blob(container, name).GetPropertiesAsync()).Value.ETag.ToString().Trim('"');

    private static Task WriteOutputAsync(TestPipeline p, string name, string sourceETag, byte[]? content = null, string container = ContainerNames.Masks)
        => p.Storage.WriteAsync(container, name, content ?? [0], "application/octet-stream", new Dictionary<string, string> { [BlobLayout.SourceETagMetadata] = sourceETag }, CancellationToken.None);
}

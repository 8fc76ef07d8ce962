using MRISpineSeg.Cli;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// Issue 13, root cause 2 and F3, on a real Azurite: a blob name with a <c>..</c> part resolves into another container
/// through the blob URL, so such names (and backslashes, a leading '/', control characters) are refused before anything
/// is read or written under them; the refusal is a failed status and a report under a name the sender cannot choose.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostileNameTests(Azurite azurite)
{
    [Fact]
    public async Task ADotDotScanNameShouldNeitherReadNorWriteTheHiddenContainer()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var hidden = p.Prefix + "mask_case1.nii.gz";
        await p.Blob(ContainerNames.GroundTruth, hidden).UploadAsync(new BinaryData(TestVolumes.ScanNiiGz()), overwrite: true);
        var before = await ListAsync(p, ContainerNames.GroundTruth);
        var hostile = "../ground-truth/" + hidden;

        var result = await p.Uploads.HandleAsync(hostile);

        Assert.Equal(ScanUploadedOutcome.Rejected, result.Outcome);
        Assert.Contains("has a '..' part", result.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await ListAsync(p, ContainerNames.GroundTruth)); // no preview, stats or report landed there
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300))); // the worker is never asked to read it
        var status = (await p.Status.GetAsync(result.JobId!))!;
        Assert.Equal(JobState.Failed, status.State);
        Assert.StartsWith("InvalidBlobName", status.Reason, StringComparison.Ordinal);
        var errorName = BlobLayout.ScanErrorName(hostile);
        Assert.StartsWith(BlobLayout.RejectedFolder, errorName, StringComparison.Ordinal);
        var report = ErrorReport.TryParse((await p.Blob(ContainerNames.Masks, errorName).DownloadContentAsync()).Value.Content)!;
        Assert.Equal("InvalidBlobName", report.Reason);
        Assert.Equal("scans/" + hostile, report.Source);
    }

    [Theory]
    [InlineData("/abs/Case1.nii.gz", "starts with '/'")]
    [InlineData("site\\Case1.nii.gz", "backslash")]
    [InlineData("Case\u00011.nii.gz", "control character U+0001")]
    public async Task OtherUnsafeNamesShouldBeRefusedTheSameWay(string suffix, string problem)
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = suffix.StartsWith('/') ? "/" + p.Prefix + suffix[1..] : p.Prefix + suffix;

        var result = await p.Uploads.HandleAsync(name);

        Assert.Equal(ScanUploadedOutcome.Rejected, result.Outcome);
        Assert.Contains(problem, result.Reason, StringComparison.Ordinal);
        Assert.True(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.ScanErrorName(name)));
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void AJobMessageNamingAnotherContainerShouldBeRefusedByTheWorkersDecoder()
    {
        var job = JobMessage.Create("../ground-truth/mask_case1.nii.gz", "\"0x1\"", 10, "m", DateTimeOffset.UtcNow);
        var ex = Assert.Throws<MRISpineSeg.Pipeline.PipelineException>(() => JobMessageCodec.Parse(JobMessageCodec.Serialize(job)));
        Assert.Contains("has a '..' part", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("upload", "../leaderboard/leaderboard.json")]
    [InlineData("upload", "/Case1.nii.gz")]
    [InlineData("wait", "../ground-truth/mask_case1.nii.gz")]
    public async Task LocalVerbsShouldRefuseSuchNamesWithOneLineAndTouchNothing(string verb, string name)
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var leaderboard = await ListAsync(p, ContainerNames.Leaderboard);
        var file = Path.Combine(Directory.CreateTempSubdirectory("hostile-").FullName, "x.json");
        await File.WriteAllTextAsync(file, "{}");
        string[] args = verb == "upload"
            ? ["local", "upload", "scans", file, "--as", name, "--connection", azurite.ConnectionString]
            : ["local", "wait", "masks", name, "--timeout", "1", "--connection", azurite.ConnectionString];
        var o = new StringWriter();
        var e = new StringWriter();

        var code = SpinesegApp.Run(args, o, e);

        Assert.Equal(CommandIO.BadInput, code);
        var err = e.ToString();
        Assert.StartsWith("spineseg: error: blob \"", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.DoesNotContain("ready", o.ToString(), StringComparison.Ordinal);
        Assert.Equal(leaderboard, await ListAsync(p, ContainerNames.Leaderboard));
    }

    [Fact]
    public async Task ABlobNameTooLongForTheLocalDiskShouldBeReportedAndTheDownloadShouldGoOn()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var longName = p.Prefix + new string('n', 300) + ".nii.gz"; // a valid blob name, but no file system takes a 300-byte part
        await p.Blob(ContainerNames.Masks, longName).UploadAsync(new BinaryData("x"u8.ToArray()));
        await p.Blob(ContainerNames.Masks, p.Prefix + "Case1.nii.gz").UploadAsync(new BinaryData("y"u8.ToArray()));
        var dir = Directory.CreateTempSubdirectory("download-").FullName;
        var o = new StringWriter();
        var e = new StringWriter();

        var code = SpinesegApp.Run(["local", "download", "masks", dir, "--prefix", p.Prefix, "--connection", azurite.ConnectionString], o, e);

        Assert.Equal(CommandIO.BadInput, code);
        Assert.True(File.Exists(Path.Combine(dir, p.Prefix, "Case1.nii.gz"))); // the rest still came
        Assert.Single(e.ToString().TrimEnd().Split('\n'));
        Assert.Contains("not downloaded", e.ToString(), StringComparison.Ordinal);
        Assert.Contains("downloaded 1 blob(s)", o.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(dir, "*.tmp-*", SearchOption.AllDirectories));
    }

    private static async Task<List<string>> ListAsync(TestPipeline p, string container)
    {
        var names = new List<string>();
        await foreach (var b in p.Any(container).GetBlobsAsync()) names.Add(b.Name + "@" + b.Properties.ETag);
        return names;
    }
}

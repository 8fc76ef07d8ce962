using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>Upload side on real Azurite: header validation, queued status, the job message, duplicate events.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScanUploadedTests(Azurite azurite)
{
    [Fact]
    public async Task ValidUploadShouldRecordQueuedAndSendOneVersionedJob()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case1.nii.gz", TestVolumes.ScanNiiGz());
        var props = (await p.Blob(ContainerNames.Scans, name).GetPropertiesAsync()).Value;

        var result = await p.Uploads.HandleAsync(name);

        Assert.Equal(ScanUploadedOutcome.Queued, result.Outcome);
        Assert.Equal(JobIds.For(name, props.ETag.ToString()), result.JobId);
        var status = await p.Status.GetAsync(result.JobId!);
        Assert.NotNull(status);
        Assert.Equal(JobState.Queued, status.State);
        Assert.True(status.Sent);
        Assert.NotNull(status.QueuedAt);
        var delivery = await p.ReceiveOneAsync();
        var job = JobMessageCodec.Parse(delivery.Body.ToMemory().Span);
        Assert.Equal(JobMessage.CurrentSchemaVersion, job.SchemaVersion);
        Assert.Equal(name, job.BlobName);
        Assert.Equal(props.ETag.ToString(), job.ETag);
        Assert.Equal(props.ContentLength, job.Length);
        Assert.Equal("test-threshold", job.ModelId);
        Assert.Equal(result.JobId, job.JobId);
    }

    [Fact]
    public async Task RepeatedEventForTheSameBlobShouldSendNothingMore()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case2.nii.gz", TestVolumes.ScanNiiGz());

        var first = await p.Uploads.HandleAsync(name);
        var second = await p.Uploads.HandleAsync(name);

        Assert.Equal(ScanUploadedOutcome.Queued, first.Outcome);
        Assert.Equal(ScanUploadedOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.JobId, second.JobId);
        Assert.NotNull(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(2)));
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task ReUploadWithNewContentShouldMakeANewJob()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Case3.nii", TestVolumes.ScanNii());
        var first = await p.Uploads.HandleAsync(name);
        await p.UploadScanAsync("Case3.nii", TestVolumes.ScanNii());

        var second = await p.Uploads.HandleAsync(name);

        Assert.Equal(ScanUploadedOutcome.Queued, second.Outcome);
        Assert.NotEqual(first.JobId, second.JobId);
    }

    public static TheoryData<string, byte[], string> BadUploads => new()
    {
        { "Report.nii.gz", TestVolumes.NotAVolume(), "UnknownFormat" },
        { "Text.nii", TestVolumes.NotAVolume(), "UnknownFormat" },
        { "Cut.nii", TestVolumes.TruncatedNii(), "TruncatedData" },
        { "Series.nii", TestVolumes.FourDNii(), "UnsupportedDimensions" },
        { "Empty.nii.gz", [], "EmptyFile" },
        { "Flat.nii", TestVolumes.ZeroAxisSformNii(), "InvalidHeader" },
        { "ZeroThick.nii", TestVolumes.BadPixdimNii(0), "InvalidHeader" },
        { "NaNThick.nii", TestVolumes.BadPixdimNii(float.NaN), "InvalidHeader" },
        { "NegThick.nii", TestVolumes.BadPixdimNii(-4.4f), "InvalidHeader" },
        { "Huge.nii", TestVolumes.HugeGridNii(), "TooLarge" },
        { "Photo.png", TestVolumes.ScanNii(), "InvalidBlobName" },
        { "Split.mhd", TestVolumes.ScanNii(), "InvalidBlobName" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task BadUploadShouldWriteAnErrorBlobAndFailTheJob(string file, byte[] content, string reason)
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync(file, content);

        var result = await p.Uploads.HandleAsync(name);

        Assert.Equal(ScanUploadedOutcome.Rejected, result.Outcome);
        var error = await p.ReadErrorAsync(name);
        Assert.Equal(reason, error.Reason);
        Assert.Contains(name, error.Message + error.Source, StringComparison.Ordinal);
        var status = await p.Status.GetAsync(result.JobId!);
        Assert.Equal(JobState.Failed, status!.State);
        Assert.StartsWith(reason, status.Reason, StringComparison.Ordinal);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task BadUploadShouldNotStopTheNextGoodOne()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var bad = await p.UploadScanAsync("Bad.nii.gz", TestVolumes.NotAVolume());
        var good = await p.UploadScanAsync("Good.nii.gz", TestVolumes.ScanNiiGz());

        Assert.Equal(ScanUploadedOutcome.Rejected, (await p.Uploads.HandleAsync(bad)).Outcome);
        Assert.Equal(ScanUploadedOutcome.Queued, (await p.Uploads.HandleAsync(good)).Outcome);
    }

    [Fact]
    public async Task VanishedBlobShouldQueueNothing()
    {
        await using var p = await TestPipeline.StartAsync(azurite);

        var result = await p.Uploads.HandleAsync(p.Prefix + "Gone.nii.gz");

        Assert.Equal(ScanUploadedOutcome.Vanished, result.Outcome);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }
}

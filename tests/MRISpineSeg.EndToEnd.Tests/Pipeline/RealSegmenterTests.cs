using System.Text.Json;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// Behaviour 1, "upload to mask", with the product's segmenter adapter (real ONNX Runtime, a small random-weight VNet
/// built by the model builder) on real Azurite: a phantom upload becomes a mask on the scan's exact grid, a preview
/// and stats, with the status going queued → running → succeeded.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RealSegmenterTests(Azurite azurite, RandomModelFixture model) : IClassFixture<RandomModelFixture>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task PhantomUploadShouldBecomeAMaskOnTheScansExactGridWithPreviewStatsAndTimings()
    {
        var probe = new StatusProbe(model.Segmenter);
        await using var p = await TestPipeline.StartAsync(azurite, segmenter: probe);
        probe.Status = p.Status;
        var phantom = SmallPhantoms.Generate(seed: 3);
        var name = await p.UploadScanAsync("Case3.nii.gz", TestVolumes.Bytes(phantom.Image, "Case3.nii.gz"));

        var queued = await p.Uploads.HandleAsync(name);
        Assert.Equal(ScanUploadedOutcome.Queued, queued.Outcome);
        probe.JobId = queued.JobId;
        Assert.Equal(JobState.Queued, (await p.Status.GetAsync(queued.JobId!))!.State);
        var summary = await p.Worker().RunAsync();

        Assert.Equal(JobState.Running, probe.StateWhileSegmenting);
        var status = (await p.Status.GetAsync(queued.JobId!))!;
        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(model.ModelId, status.ModelId); // the model that ran, not the upload side's configured default
        Assert.True(status.DownloadMs >= 0 && status.SegmentMs > 0 && status.UploadMs > 0 && status.TotalMs >= status.SegmentMs, $"timings {status}");
        Assert.True(status.QueuedAt <= status.StartedAt && status.StartedAt <= status.FinishedAt);
        Assert.Equal(BlobLayout.MaskName(name), status.MaskBlob);

        var scan = VolumeIO.Read(new MemoryStream(TestVolumes.Bytes(phantom.Image, "Case3.nii.gz")), "Case3.nii.gz");
        var maskBytes = (await p.Blob(ContainerNames.Masks, BlobLayout.MaskName(name)).DownloadContentAsync()).Value.Content.ToArray();
        var mask = VolumeIO.Read(new MemoryStream(maskBytes), "mask.nii.gz", new VolumeReadOptions { ElementType = VoxelType.UInt8 });
        AssertSameGrid(scan, mask);
        var labels = mask.Voxels.As<byte>().Data;
        Assert.All(labels, v => Assert.InRange(v, (byte)0, (byte)19));
        var maskProps = (await p.Blob(ContainerNames.Masks, BlobLayout.MaskName(name)).GetPropertiesAsync()).Value;
        Assert.Equal(model.ModelId, maskProps.Metadata[BlobLayout.ModelIdMetadata]);

        var png = (await p.Blob(ContainerNames.Masks, BlobLayout.PreviewName(name)).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(PngSignature, png[..8]);
        using var stats = JsonDocument.Parse((await p.Blob(ContainerNames.Masks, BlobLayout.StatsName(name)).DownloadContentAsync()).Value.Content.ToMemory());
        Assert.Equal(model.ModelId, stats.RootElement.GetProperty("modelId").GetString());
        Assert.Equal([64, 64, 12], stats.RootElement.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(stats.RootElement.GetProperty("timingsMs").GetProperty("infer").GetDouble() > 0);
        var counted = stats.RootElement.GetProperty("structures").EnumerateArray().Sum(e => e.GetProperty("voxels").GetInt64());
        Assert.Equal(labels.Count(v => v != 0), counted);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, summary.Completed);
    }

    [Fact]
    public async Task BlankScanShouldBeRefusedByTheRealSegmenterWithAnErrorReportAndStatusFailed()
    {
        await using var p = await TestPipeline.StartAsync(azurite, segmenter: model.Segmenter);
        var phantom = SmallPhantoms.Generate(seed: 4);
        var blank = new Volume(phantom.Image.Shape, new VoxelBuffer<short>(new short[phantom.Image.Shape.Count]), phantom.Image.Geometry);
        var name = await p.UploadScanAsync("Case4.nii.gz", TestVolumes.Bytes(blank, "Case4.nii.gz"));
        var queued = await p.Uploads.HandleAsync(name);

        await p.Worker().RunAsync();

        var report = await p.ReadErrorAsync(name);
        Assert.Equal("InvalidScan", report.Reason);
        Assert.Contains("blank", report.Message, StringComparison.Ordinal);
        Assert.Equal(JobState.Failed, (await p.Status.GetAsync(queued.JobId!))!.State);
        Assert.False(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.MaskName(name)));
    }

    private static void AssertSameGrid(Volume scan, Volume mask)
    {
        Assert.Equal(scan.Shape, mask.Shape);
        Assert.True(scan.Geometry.Matches(mask.Geometry, 0, out var diff), diff);
        Assert.Equal(scan.Geometry.Orientation, mask.Geometry.Orientation);
        Assert.True(MRISpineSeg.Imaging.Nifti.NiftiGrid.SameGrid(scan.NiftiHeader!, mask.NiftiHeader!, out var gridDiff), gridDiff);
        Assert.Equal(2, mask.NiftiHeader!.DataType); // uint8 labels
    }

    /// <summary>Passes through to the real segmenter and records the job's stored state at the moment it runs.</summary>
    private sealed class StatusProbe(IScanSegmenter inner) : IScanSegmenter
    {
        public JobStatusStore? Status { get; set; }

        public string? JobId { get; set; }

        public JobState? StateWhileSegmenting { get; private set; }

        public string ModelId => inner.ModelId;

        public async Task<ScanSegmentation> SegmentAsync(Stream scan, string blobName, CancellationToken cancellationToken = default)
        {
            StateWhileSegmenting = (await Status!.GetAsync(JobId!, cancellationToken))?.State;
            return await inner.SegmentAsync(scan, blobName, cancellationToken);
        }
    }
}

using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
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
/// One scan uploaded twice, as nibabel stored it in PSR and in RAS (sagittal axis first, as <c>as_closest_canonical</c>
/// writes it), through the upload check, the queue and the worker with the real ONNX segmenter on Azurite: the RAS
/// copy's mask lies on the RAS grid and header, and, mapped back to PSR, equals the PSR copy's mask voxel for voxel.
/// The job status records the stored orientation and the transform applied.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OrientationEndToEndTests(Azurite azurite, RandomModelFixture model) : IClassFixture<RandomModelFixture>
{
    [Fact]
    public async Task ARasStoredScanShouldGetThePsrTwinsMaskOnItsOwnGrid()
    {
        await using var p = await TestPipeline.StartAsync(azurite, segmenter: model.Segmenter);
        var psrBytes = await File.ReadAllBytesAsync(Golden("psr.nii.gz"));
        var rasBytes = await File.ReadAllBytesAsync(Golden("RAS.nii.gz"));
        var psrName = await p.UploadScanAsync("Case1.nii.gz", psrBytes);
        var rasName = await p.UploadScanAsync("Case2.nii.gz", rasBytes);
        var psrJob = await p.Uploads.HandleAsync(psrName);
        var rasJob = await p.Uploads.HandleAsync(rasName);
        Assert.Equal(ScanUploadedOutcome.Queued, rasJob.Outcome);

        var summary = await p.Worker().RunAsync();

        Assert.Equal(2, summary.Completed);
        var rasScan = VolumeIO.Read(new MemoryStream(rasBytes), "RAS.nii.gz");
        var psrMask = await MaskAsync(p, psrName);
        var rasMask = await MaskAsync(p, rasName);
        Assert.Equal(rasScan.Shape, rasMask.Shape);
        Assert.True(rasScan.Geometry.Matches(rasMask.Geometry, 0, out var diff), diff);
        Assert.Equal("RAS", OrientationCode.FromAffine(rasMask.Geometry.Affine));

        var toPsr = AxisReorientation.Between(Orientation("RAS"), Orientation("PSR"));
        var mapped = toPsr.Apply(rasMask.Voxels.As<byte>().Data, rasMask.Shape);
        Assert.Equal(psrMask.Shape, toPsr.Apply(rasMask.Shape));
        Assert.Equal(psrMask.Voxels.As<byte>().Data, mapped);
        Assert.Contains(mapped, v => v != 0); // a real mask, not an empty one agreeing trivially

        var rasStatus = (await p.Status.GetAsync(rasJob.JobId!))!;
        Assert.Equal(JobState.Succeeded, rasStatus.State);
        Assert.Equal("RAS", rasStatus.Orientation);
        Assert.StartsWith("RAS→PSR: axes (", rasStatus.Reorientation);
        var psrStatus = (await p.Status.GetAsync(psrJob.JobId!))!;
        Assert.Equal("PSR", psrStatus.Orientation);
        Assert.Equal("PSR→PSR: none", psrStatus.Reorientation);
        Assert.Contains("\"orientation\": \"RAS\"", System.Text.Encoding.UTF8.GetString(JobStatusJson.Serialize(rasStatus)));
    }

    private static async Task<Volume> MaskAsync(TestPipeline p, string scanName)
    {
        var bytes = (await p.Blob(ContainerNames.Masks, BlobLayout.MaskName(scanName)).DownloadContentAsync()).Value.Content.ToArray();
        return VolumeIO.Read(new MemoryStream(bytes), "mask.nii.gz", new VolumeReadOptions { ElementType = VoxelType.UInt8 });
    }

    private static AxisOrientation Orientation(string code) => AxisOrientation.TryParse(code, out _)!;

    private static string Golden(string file) => Path.Combine(AppContext.BaseDirectory, "Goldens", "orientation", file);
}

using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Postprocessing;
using MRISpineSeg.Segmentation.Preprocessing;
using MRISpineSeg.Segmentation.Stats;
using MRISpineSeg.Segmentation.Tests.Goldens;
using MRISpineSeg.Segmentation.Tests.Preview;

namespace MRISpineSeg.Segmentation.Tests.EndToEnd;

public sealed class SegmenterEndToEndTests(RandomVNetFixture model) : IClassFixture<RandomVNetFixture>
{
    // A PSR scan needs no reorientation, so the stages by hand are exactly the product's; other storage orders are
    // covered by Preprocessing/ScanOrientationGoldenTests.
    [Theory]
    [InlineData("scan_psr_qform.nii.gz")]
    public async Task SegmentedMaskShouldHaveTheScansShapeAndAffineAndEqualTheStagesRunByHand(string file)
    {
        var segmenter = new Segmenter(model.Network);
        var path = Golden.Path(file);

        var result = await segmenter.SegmentFileAsync(path);

        var scan = VolumeIO.Read(path, new VolumeReadOptions { ElementType = VoxelType.Float32 });
        Assert.Equal(scan.Shape, result.Mask.Shape);
        Assert.Equal(scan.Geometry.Affine, result.Mask.Geometry.Affine);
        Assert.Equal(VoxelType.UInt8, result.Mask.VoxelType);

        // The same stages by hand: preprocess -> the ONNX network -> projection.
        var input = PaddlePreprocessor.Run(scan.Voxels.As<float>().Data, scan.Shape, model.Network.Manifest);
        var labels = model.Network.PredictLabels(input.Tensor);
        Assert.Equal(LabelProjector.ToScanGrid(labels, RandomVNetFixture.Grid, scan.Shape), result.Mask.Voxels.As<byte>().Data);
    }

    [Fact]
    public async Task StatsShouldAccountForEveryForegroundVoxelAndTimeEachStage()
    {
        var segmenter = new Segmenter(model.Network);
        var result = await segmenter.SegmentFileAsync(Golden.PsrQformScan);

        var mask = result.Mask.Voxels.As<byte>().Data;
        var foreground = mask.Count(v => v != 0);
        Assert.Equal(foreground, result.Stats.Structures.Sum(s => s.VoxelCount));
        Assert.All(result.Stats.Structures, s => Assert.Equal(SpineClasses.Names[s.Label], s.Name));
        // The header stores 0.6 x 0.65 x 4.4 mm as float32, hence the tolerance on the voxel volume.
        Assert.Equal(0.6 * 0.65 * 4.4, result.Stats.VoxelVolumeMm3, 5);
        Assert.All(result.Stats.Structures, s => Assert.Equal(s.VoxelCount * result.Stats.VoxelVolumeMm3, s.VolumeMm3));
        Assert.Equal("vnet-w2-prelu-random", result.Stats.ModelId);
        Assert.Equal(
            [StageTimings.Read, StageTimings.Preprocess, StageTimings.Infer, StageTimings.Postprocess],
            result.Timings.Stages.Select(s => s.Key));
        Assert.All(result.Timings.Stages, s => Assert.True(s.Value > TimeSpan.Zero));
    }

    [Fact]
    public async Task OneNetworkShouldServeManyScansAndTheStreamOverloadShouldMatchTheFileOne()
    {
        var segmenter = new Segmenter(model.Network);
        var fromFile = await segmenter.SegmentFileAsync(Golden.PsrQformScan);
        await using var stream = File.OpenRead(Golden.PsrQformScan);
        var fromStream = await segmenter.SegmentAsync(stream, "Case7.nii.gz");
        var other = await segmenter.SegmentFileAsync(Golden.LasSformScan);

        Assert.Equal(fromFile.Mask.Voxels.As<byte>().Data, fromStream.Mask.Voxels.As<byte>().Data);
        Assert.Equal("Case7.nii.gz", fromStream.Stats.ScanName);
        Assert.Equal("LAS", other.Stats.Orientation);

        // Outputs as bytes, for a worker that uploads them.
        var encoded = Outputs.ResultOutputs.Encode(fromStream, "mask_case7.nii.gz");
        var reread = VolumeIO.Read(new MemoryStream(encoded.Mask), "mask_case7.nii.gz");
        Assert.Equal(fromFile.Mask.Voxels.As<byte>().Data, reread.Voxels.As<byte>().Data);
        var (w, h, _) = PngTestReader.Decode(encoded.Preview);
        Assert.True(w >= 640 && h >= 640, $"{w}x{h}");
        // The encoded stats carry the write time; the result itself stays as the segmenter made it.
        Assert.Contains(StageTimings.Write, encoded.Stats.Timings.Stages.Select(s => s.Key));
        Assert.DoesNotContain(StageTimings.Write, fromStream.Timings.Stages.Select(s => s.Key));
        using var json = System.Text.Json.JsonDocument.Parse(encoded.StatsJson);
        Assert.True(json.RootElement.GetProperty("timingsMs").TryGetProperty(StageTimings.Write, out _));
    }

    [Fact]
    public void SegmentingAVolumeInMemoryShouldLeaveItUntouched()
    {
        var scan = VolumeIO.Read(Golden.PsrQformScan, new VolumeReadOptions { ElementType = VoxelType.Float32 });
        var before = (float[])scan.Voxels.As<float>().Data.Clone();
        new Segmenter(model.Network).Segment(scan, "in-memory");
        Assert.Equal(before, scan.Voxels.As<float>().Data);
    }

    [Fact]
    public async Task ProgressShouldReportEachStageStartedThenFinished()
    {
        var reports = new List<StageProgress>();
        var progress = new SynchronousProgress(reports.Add);
        await new Segmenter(model.Network).SegmentFileAsync(Golden.PsrQformScan, progress);

        Assert.Equal(
            ["read:start", "read:done", "preprocess:start", "preprocess:done", "infer:start", "infer:done", "postprocess:start", "postprocess:done"],
            reports.Select(r => $"{r.Stage}:{(r.Completed ? "done" : "start")}"));
        Assert.All(reports.Where(r => r.Completed), r => Assert.True(r.Elapsed > TimeSpan.Zero));
    }

    [Fact]
    public async Task ACancelledTokenShouldStopTheRun()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Segmenter(model.Network).SegmentFileAsync(Golden.PsrQformScan, cancellationToken: cts.Token));
    }

    private sealed class SynchronousProgress(Action<StageProgress> report) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => report(value);
    }
}

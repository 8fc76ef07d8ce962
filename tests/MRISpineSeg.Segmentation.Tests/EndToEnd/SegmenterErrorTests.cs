using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.EndToEnd;

public sealed class SegmenterErrorTests(RandomVNetFixture model) : IClassFixture<RandomVNetFixture>
{
    [Fact]
    public void AnAllZeroScanShouldBeRefusedAsBlank()
    {
        var scan = new Volume(new Shape3(20, 20, 6), new VoxelBuffer<short>(new short[2400]), VolumeGeometry.FromSpacing(0.6, 0.6, 4.4));
        var ex = Assert.Throws<SegmentationException>(() => new Segmenter(model.Network).Segment(scan, "Case9.nii.gz"));
        Assert.Equal(SegmentationErrorReason.InvalidScan, ex.Reason);
        Assert.False(ex.IsTransient);
        Assert.Contains("Case9.nii.gz", ex.Message);
        Assert.Contains("blank", ex.Message);
    }

    [Fact]
    public void AScanWithOnlyNegativeValuesShouldBeRefusedAsBlankToo()
    {
        var scan = new Volume(new Shape3(4, 4, 4), new VoxelBuffer<float>(Enumerable.Repeat(-5f, 64).ToArray()), VolumeGeometry.FromSpacing(1, 1, 1));
        var ex = Assert.Throws<SegmentationException>(() => new Segmenter(model.Network).Segment(scan));
        Assert.Equal(SegmentationErrorReason.InvalidScan, ex.Reason);
    }

    [Theory]
    [InlineData(20, 20, 1)]
    [InlineData(20, 1, 6)]
    public void AScanThatIsNotThreeDimensionalShouldBeRefused(int x, int y, int z)
    {
        var shape = new Shape3(x, y, z);
        var scan = new Volume(shape, new VoxelBuffer<short>(Enumerable.Repeat((short)500, (int)shape.Count).ToArray()), VolumeGeometry.FromSpacing(1, 1, 1));
        var ex = Assert.Throws<SegmentationException>(() => new Segmenter(model.Network).Segment(scan, "slice.nii"));
        Assert.Equal(SegmentationErrorReason.InvalidScan, ex.Reason);
        Assert.Contains($"shape {shape} is not a 3-D volume", ex.Message);
    }

    [Fact]
    public async Task AFourDimensionalSeriesShouldBeRefusedByTheReader()
    {
        var ex = await Assert.ThrowsAsync<VolumeFormatException>(() => new Segmenter(model.Network).SegmentFileAsync(Golden.Path("series_4d.nii.gz")));
        Assert.Equal(VolumeErrorReason.UnsupportedDimensions, ex.Reason);
    }

    [Fact]
    public void NaNIntensitiesShouldBeRefused()
    {
        var data = Enumerable.Repeat(100f, 64).ToArray();
        data[5] = float.NaN;
        var scan = new Volume(new Shape3(4, 4, 4), new VoxelBuffer<float>(data), VolumeGeometry.FromSpacing(1, 1, 1));
        var ex = Assert.Throws<SegmentationException>(() => new Segmenter(model.Network).Segment(scan));
        Assert.Equal(SegmentationErrorReason.InvalidScan, ex.Reason);
        Assert.Contains("NaN", ex.Message);
    }

    [Fact]
    public void AModelWhoseClassesAreNotTheSpineTableShouldBeRefused()
    {
        using var network = OnnxSegmentationNetwork.Load(model.FiveClassModelPath);
        var ex = Assert.Throws<SegmentationException>(() => new Segmenter(network));
        Assert.Equal(SegmentationErrorReason.ModelMismatch, ex.Reason);
        Assert.Contains("class 1 is named 'class_1'", ex.Message);
    }

    [Fact]
    public async Task ACustomModelShouldWorkWhenSpineLabelsAreWaivedAndUseItsOwnNames()
    {
        using var network = OnnxSegmentationNetwork.Load(model.FiveClassModelPath);
        var result = await new Segmenter(network, new SegmenterOptions { RequireSpineLabels = false }).SegmentFileAsync(Golden.PsrQformScan);
        Assert.All(result.Stats.Structures, s => Assert.Equal($"class_{s.Label}", s.Name));
        Assert.All(result.Mask.Voxels.As<byte>().Data, v => Assert.InRange(v, 0, 4));
    }
}

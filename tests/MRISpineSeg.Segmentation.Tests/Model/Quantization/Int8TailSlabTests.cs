using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Phantoms;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.Quantization;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;
using MRISpineSeg.Segmentation.Tests.Model.VNet;

namespace MRISpineSeg.Segmentation.Tests.Model.Quantization;

/// <summary>
/// The int8 graph's full-resolution tail in x-slabs: integer sums are exact and requantization is per voxel, so every
/// slab count must give the whole tail's labels bit for bit (and its logits up to float summation order in the head).
/// A slab that padded x inside the volume, cropped the wrong rows or reused another slab's weights would change voxels
/// near the slab borders.
/// </summary>
public sealed class Int8TailSlabTests : IDisposable
{
    private static readonly Shape3 Grid = new(32, 32, 12);
    private readonly string _dir = TestFiles.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public async Task SlabbedTailShouldGiveTheWholeTailsLabelsAndLogits(int slabs)
    {
        var fp32 = Path.Combine(_dir, "fp32.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(4), 11, perturbNormalization: true), fp32, new VNetBuildOptions { Grid = Grid });
        var calibration = Path.Combine(_dir, "calibration");
        Directory.CreateDirectory(calibration);
        for (var i = 0; i < 2; i++)
            PhantomGenerator.WriteCase(PhantomGenerator.Generate(300 + i, new PhantomOptions { Shape = new Shape3(64, 64, 12) }), calibration, i + 1);
        var whole = Path.Combine(_dir, "whole.onnx");
        var slabbed = Path.Combine(_dir, "slabbed.onnx");
        await ModelQuantizer.QuantizeAsync(fp32, calibration, whole, new QuantizeOptions { TailSlabs = 1 });
        await ModelQuantizer.QuantizeAsync(fp32, calibration, slabbed, new QuantizeOptions { TailSlabs = slabs });

        var (outA, outB, maxAbs) = ModelPair.Predict(whole, slabbed, VNetGraphTests.RandomInput(Grid, slabs));

        Assert.Equal(outA.Labels, outB.Labels);
        Assert.True(maxAbs <= 1e-5f, $"max |whole - slabbed| logit = {maxAbs}");
        Assert.True(outA.Labels.Distinct().Count() > 3, "a random network should spread over several classes");
        Assert.Equal(WeightBytes(whole), WeightBytes(slabbed)); // one copy of the tail's weights, whatever the slab count
    }

    private static long WeightBytes(string model)
        => ModelProto.Parser.ParseFrom(File.ReadAllBytes(model)).Graph.Initializer.Where(t => t.DataType != (int)TensorProto.Types.DataType.Int64).Sum(t => (long)t.RawData.Length + (t.FloatData.Count * 4L));

    [Fact]
    public async Task TailSlabCountOutsideOneToSixtyFourShouldBeRefused()
    {
        var ex = await Assert.ThrowsAsync<SegmentationException>(() => ModelQuantizer.QuantizeAsync("in.onnx", _dir, Path.Combine(_dir, "out.onnx"), new QuantizeOptions { TailSlabs = 0 }));

        Assert.Equal(SegmentationErrorReason.InvalidRequest, ex.Reason);
        Assert.Contains("tail slabs: 0 must be 1..64", ex.Message, StringComparison.Ordinal);
    }
}

using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model.VNet;

public sealed class ZPaddingSkipTests
{
    [Fact]
    public void RegionsShouldGiveEachOutputSliceOnlyTheTapsThatMeetRealInput()
    {
        // 5-deep kernel, padding 2, 6 slices: slices 0 and 5 see 3 taps, 1 and 4 see 4, 2..3 all five.
        var regions = ZTapRegions.Of(6, 6, 5, 1, 2);
        Assert.Equal([(0, 1), (1, 2), (2, 4), (4, 5), (5, 6)], regions.Select(r => (r.Start, r.End)));
        Assert.Equal([2, 3, 4], regions[0].Taps);
        Assert.Equal([0, 1, 2, 3, 4], regions[2].Taps);
        Assert.Equal([0, 1, 2], regions[4].Taps);
        Assert.Equal((0, 3), (regions[0].InputStart(2), regions[0].InputEnd(4)));
        Assert.Equal((3, 6), (regions[4].InputStart(0), regions[4].InputEnd(2)));
    }

    [Fact]
    public void StridedUnpaddedConvolutionShouldBeOneRegionWithEveryTap()
    {
        var regions = ZTapRegions.Of(8, 4, 2, 2, 0);
        var region = Assert.Single(regions);
        Assert.Equal([0, 1], region.Taps);
        Assert.Equal((1, 8), (region.InputStart(1), region.InputEnd(1)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SkippingZPaddingShouldGiveTheSameLabelsAsMultiplyingItThrough(int slabs)
    {
        var weights = RandomWeights.Create(VNetArchitecture.Spine(4), 21, perturbNormalization: true);
        var grid = new Shape3(32, 32, 12);
        var input = VNetGraphTests.RandomInput(grid, 9);
        var dir = TestFiles.TempDir();
        try
        {
            var skip = Path.Combine(dir, "skip.onnx");
            var full = Path.Combine(dir, "full.onnx");
            VNetModelBuilder.Write(weights, skip, new VNetBuildOptions { Grid = grid, TailSlabs = slabs });
            VNetModelBuilder.Write(weights, full, new VNetBuildOptions { Grid = grid, TailSlabs = slabs, SkipZPadding = false });
            var (outA, outB, maxAbs) = ModelPair.Predict(skip, full, input);

            Assert.Equal(outB.Labels, outA.Labels);
            // The same products are summed, but ORT's kernels may order a sum differently for a run of one slice than for
            // twelve: float rounding, far below the 1e-4 the graph keeps against the naive reference (VNetGraphTests).
            Assert.True(maxAbs <= 1e-4f, $"max |skip - full| = {maxAbs}");
            Assert.True(outA.Labels.Distinct().Count() > 3, "a random network should spread over several classes");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

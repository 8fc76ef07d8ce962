using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Resampling;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Preprocessing;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.Preprocessing;

public sealed class PaddlePreprocessorTests
{
    [Fact]
    public void PreprocessingShouldMatchScipyZoomOfTheClippedScanWithin1e5()
    {
        // make_goldens.py: nibabel get_fdata(float32) -> clip(x/2650, 0, 1) -> scipy zoom order 1 -> / max, C order.
        var scan = VolumeIO.Read(Golden.PsrQformScan, new VolumeReadOptions { ElementType = VoxelType.Float32 });
        Assert.Equal(new Shape3(40, 36, 7), scan.Shape);
        var grid = new Shape3(24, 20, 12);

        var result = PaddlePreprocessor.Run(scan.Voxels.As<float>().Data, scan.Shape, TestManifests.Spine(grid));

        var expected = Golden.ReadFloats(Golden.PreprocessedPsr);
        Assert.Equal(expected.Length, result.Tensor.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - result.Tensor[i]));
        Assert.True(worst <= 1e-5, $"max |C# - scipy| = {worst:G3}");
        Assert.Equal(1f, result.Tensor.Max());
        Assert.Equal(1f, result.ClippedMax);
    }

    [Fact]
    public void FusedKernelShouldEqualTheImagingZoomFollowedByATranspose()
    {
        var inShape = new Shape3(17, 13, 5);
        var outShape = new Shape3(9, 21, 8);
        var rng = new Random(7);
        var input = new float[inShape.Count];
        for (var i = 0; i < input.Length; i++) input[i] = (float)rng.NextDouble();

        var xFastest = new float[outShape.Count];
        ScipyZoom.LinearInto(input, inShape, xFastest, outShape);
        var rowMajor = new float[outShape.Count];
        TransposingZoom.LinearToRowMajor(input, inShape, rowMajor, outShape);

        for (var x = 0; x < outShape.X; x++)
        {
            for (var y = 0; y < outShape.Y; y++)
            {
                for (var z = 0; z < outShape.Z; z++)
                    Assert.Equal(xFastest[x + (outShape.X * (y + (outShape.Y * z)))], rowMajor[(((x * outShape.Y) + y) * outShape.Z) + z]);
            }
        }
    }

    [Fact]
    public void ClipShouldSaturateAboveClipMaxAndZeroNegativesBeforeDividingByTheMaximum()
    {
        var shape = new Shape3(2, 2, 2);
        float[] voxels = [-500, 0, 1325, 2650, 5000, 662.5f, 100, 2650];
        var result = PaddlePreprocessor.Run(voxels, shape, TestManifests.Spine(shape));

        // Same grid: the zoom is the identity, so only the clip and the division by max (1) remain; row-major order.
        float[] expected = [0, 1, 0.5f, 0.0377358496f, 0, 0.25f, 1, 1];
        Assert.Equal(expected, result.Tensor);
        Assert.Equal(-500f, voxels[0]);
    }

    [Fact]
    public void InPlaceShouldReuseTheCallersBufferForTheClip()
    {
        var shape = new Shape3(2, 2, 2);
        float[] voxels = [-500, 0, 1325, 2650, 5000, 662.5f, 100, 2650];
        PaddlePreprocessor.Run(voxels, shape, TestManifests.Spine(new Shape3(3, 3, 3)), inPlace: true);
        Assert.Equal([0f, 0f, 0.5f, 1f, 1f, 0.25f, 100f / 2650f, 1f], voxels);
    }

    [Fact]
    public void DimScanShouldBeStretchedToOneByTheMaximum()
    {
        var shape = new Shape3(3, 3, 3);
        var voxels = Enumerable.Range(0, 27).Select(i => (float)i).ToArray();
        var result = PaddlePreprocessor.Run(voxels, shape, TestManifests.Spine(shape));
        Assert.Equal(26f / 2650f, result.ClippedMax);
        Assert.Equal(1f, result.Tensor.Max());
    }

    [Fact]
    public void BlankScanShouldReportAZeroMaximumAndStayZero()
    {
        var shape = new Shape3(4, 4, 3);
        var voxels = Enumerable.Repeat(-3f, 48).ToArray();
        var result = PaddlePreprocessor.Run(voxels, shape, TestManifests.Spine(new Shape3(5, 5, 5)));
        Assert.Equal(0f, result.ClippedMax);
        Assert.Equal(0f, result.ResizedMax);
        Assert.All(result.Tensor, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void NaNVoxelsShouldBeRefusedWithTheirCount()
    {
        var shape = new Shape3(2, 2, 2);
        float[] voxels = [1, float.NaN, 3, 4, 5, float.NaN, 7, 8];
        var ex = Assert.Throws<SegmentationException>(() => PaddlePreprocessor.Run(voxels, shape, TestManifests.Spine(shape), scanName: "Case4.mha"));
        Assert.Equal(SegmentationErrorReason.InvalidScan, ex.Reason);
        Assert.Equal("Case4.mha: 2 voxel(s) are NaN; a scan must hold numeric intensities (re-export it, or replace NaN with 0)", ex.Message);
    }
}

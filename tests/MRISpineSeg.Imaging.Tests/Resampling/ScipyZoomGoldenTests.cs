using MRISpineSeg.Imaging.Resampling;
using MRISpineSeg.Imaging.Tests.Support;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Tests.Resampling;

/// <summary>
/// scipy.ndimage.zoom(img, new/old, order, mode='nearest') on 101×97×12 → 52×50×12, as PaddleSeg resizes
/// 1008×1008×12 scans (goldens from make_goldens.py). Tolerance: 1e-5 for order 1, exact for order 0.
/// </summary>
public sealed class ScipyZoomGoldenTests
{
    private static readonly Shape3 Out = new(52, 50, 12);

    [Fact]
    public void LinearZoomShouldMatchScipyWithinOneInHundredThousand()
    {
        var image = VolumeIO.Read(Goldens.PathOf("resample_image.nii.gz"), new VolumeReadOptions { ElementType = VoxelType.Float32 });
        var resized = Resampler.Zoom(image, Out, order: 1);
        var want = Goldens.Floats("resample_image_order1.f32");
        var got = resized.Voxels.As<float>().Data;
        Assert.Equal(want.Length, got.Length);
        var worst = 0.0;
        for (var i = 0; i < want.Length; i++) worst = Math.Max(worst, Math.Abs(want[i] - got[i]) / Math.Max(1.0, Math.Abs(want[i])));
        Assert.True(worst <= 1e-5, $"largest relative difference from scipy is {worst:G3}");
    }

    [Fact]
    public void NearestZoomShouldReproduceScipyLabelsExactly()
    {
        var labels = VolumeIO.Read(Goldens.PathOf("resample_labels.nii.gz"), new VolumeReadOptions { ElementType = VoxelType.UInt8 });
        var resized = Resampler.Zoom(labels, Out, order: 0);
        var want = File.ReadAllBytes(Goldens.PathOf("resample_labels_order0.u8"));
        Assert.Equal(VoxelType.UInt8, resized.VoxelType);
        Assert.Equal(want, resized.Voxels.As<byte>().Data);
    }

    [Fact]
    public void ResampledVolumeShouldKeepItsWorldCorners()
    {
        var image = VolumeIO.Read(Goldens.PathOf("resample_image.nii.gz"));
        var resized = Resampler.Zoom(image, Out, order: 1);
        // Corner-aligned: the first and last voxel centres stay where they were.
        var a = image.Geometry.Affine;
        var b = resized.Geometry.Affine;
        for (var row = 0; row < 3; row++)
        {
            Assert.Equal(a[row, 3], b[row, 3], 9);
            var lastIn = (a[row, 0] * 100) + (a[row, 1] * 96) + (a[row, 2] * 11) + a[row, 3];
            var lastOut = (b[row, 0] * 51) + (b[row, 1] * 49) + (b[row, 2] * 11) + b[row, 3];
            Assert.Equal(lastIn, lastOut, 6);
        }
    }

    [Fact]
    public void MaskShouldGoBackOntoTheOriginalGridWithItsExactGeometry()
    {
        var labels = VolumeIO.Read(Goldens.PathOf("resample_labels.nii.gz"), new VolumeReadOptions { ElementType = VoxelType.UInt8 });
        var small = Resampler.Zoom(labels, Out, order: 0);
        var back = Resampler.NearestOnto(small, labels.Shape, labels.Geometry, labels.NiftiHeader);
        Assert.Equal(labels.Shape, back.Shape);
        Assert.Equal(labels.Geometry.Affine, back.Geometry.Affine);
        var agree = 0;
        var a = labels.Voxels.As<byte>().Data;
        var b = back.Voxels.As<byte>().Data;
        for (var i = 0; i < a.Length; i++) agree += a[i] == b[i] ? 1 : 0;
        Assert.True(agree > 0.9 * a.Length, $"only {agree} of {a.Length} voxels survive the grid round trip");
    }

    [Fact]
    public void SingleSampleAxesShouldUseScipysZoomOfOne()
    {
        var data = new float[] { 1, 2, 3, 4 };
        var output = ScipyZoom.Linear(data, new Shape3(4, 1, 1), new Shape3(7, 1, 1));
        Assert.Equal([1f, 1.5f, 2f, 2.5f, 3f, 3.5f, 4f], output);
        var one = ScipyZoom.Linear(data, new Shape3(4, 1, 1), new Shape3(1, 1, 1));
        Assert.Equal([1f], one);
    }
}

using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Preview;

/// <summary>
/// One sagittal slice of a scan and its mask in the PSR frame (the scan permuted and flipped so that axis 2 runs left to
/// right, <see cref="Preprocessing.ScanOrientation.ToPreviewFrame"/>), x fastest:
/// pixel (i, j) is at <c>i + X·j</c>. <see cref="Image"/> holds real intensities (slope applied), <see cref="Mask"/> labels.
/// </summary>
public sealed record SagittalSlice(float[] Image, byte[] Mask, Shape3 Shape, int SliceIndex, Affine Affine)
{
    /// <summary>The plane a preview shows: the middle one of the left-right axis, <c>Z / 2</c> in the PSR frame.</summary>
    public static int MiddleIndex(Shape3 shape) => shape.Z / 2;
}

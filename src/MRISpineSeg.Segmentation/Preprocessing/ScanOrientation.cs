using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Segmentation.Model;

namespace MRISpineSeg.Segmentation.Preprocessing;

/// <summary>
/// The one place that decides how a scan's voxels are brought to a model's axis codes (docs/design.md §3): the
/// permutation and flips nibabel's <c>io_orientation</c> + <c>ornt_transform</c> choose from the scan's affine. Used by
/// <see cref="Segmenter"/> (so by <c>spineseg segment</c>, the worker and the local pipeline) and by the upload check,
/// which refuses a scan whose affine has no orientation before a job is queued.
/// </summary>
public static class ScanOrientation
{
    private static readonly AxisOrientation PreviewFrame = AxisOrientation.TryParse(ModelManifest.DefaultOrientation, out _)!;

    /// <summary>
    /// The orientation of a scan's voxel axes. Throws <see cref="VolumeFormatException"/> (InvalidHeader) naming the header
    /// field when the geometry is unusable: a voxel size (NIfTI <c>pixdim[1..3]</c>) that is zero, negative, NaN or
    /// infinite, or an affine that is degenerate (NaN or infinite, a zero axis, or collinear axes). Such a scan would
    /// give volumes in mm³ that no JSON can hold, so it is refused here, at the upload check and before segmenting.
    /// </summary>
    public static AxisOrientation Of(VolumeGeometry geometry, NiftiHeader? niftiHeader, string? scanName)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        // The header's own values: the reader takes |pixdim| for the spacing, but a negative voxel size is as wrong as a zero one.
        var spacing = niftiHeader is null ? geometry.Spacing : [niftiHeader.Pixdim[1], niftiHeader.Pixdim[2], niftiHeader.Pixdim[3]];
        for (var k = 0; k < 3; k++)
        {
            if (!double.IsFinite(spacing[k]) || spacing[k] <= 0)
            {
                throw new VolumeFormatException(
                    VolumeErrorReason.InvalidHeader,
                    scanName,
                    niftiHeader is null ? "ElementSpacing" : $"pixdim[{k + 1}]",
                    $"is {spacing[k].ToString(System.Globalization.CultureInfo.InvariantCulture)}; every voxel size must be a positive, finite number of mm (MRSpineSeg scans: about 0.6, 0.6, 4.4)");
            }
        }

        return AxisOrientation.TryFromAffine(geometry.Affine, out var problem)
            ?? throw new VolumeFormatException(
                VolumeErrorReason.InvalidHeader,
                scanName,
                AffineFields(niftiHeader),
                $"the voxel-to-world affine has no orientation: {problem}");
    }

    /// <summary>The transform from the scan's storage order to the model's axis codes (<see cref="ModelManifest.Orientation"/>).</summary>
    public static AxisReorientation ToModel(AxisOrientation scan, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(manifest);
        var target = AxisOrientation.TryParse(manifest.Orientation, out var problem)
            ?? throw new SegmentationException(SegmentationErrorReason.InvalidManifest, $"model '{manifest.ModelId}': orientation {problem}");
        return AxisReorientation.Between(scan, target);
    }

    /// <summary>
    /// The transform to <c>PSR</c>, the frame previews are drawn in, whatever the model's: its axis 2 runs left to right,
    /// so the middle plane of axis 2 is the true mid-sagittal slice and a scan and its PSR twin give the same picture.
    /// </summary>
    public static AxisReorientation ToPreviewFrame(AxisOrientation scan)
        => AxisReorientation.Between(scan, PreviewFrame);

    private static string AffineFields(NiftiHeader? h)
        => h is null ? "TransformMatrix/ElementSpacing" : NiftiGeometry.BestAffineFields(h);
}

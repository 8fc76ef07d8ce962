using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Preview;

/// <summary>
/// How to show one slice of NIfTI axis 2 so that a person sees a sagittal spine upright: the in-plane voxel axis that
/// points most nearly along world superior (RAS z) becomes the vertical, drawn superior-up; the other becomes the
/// horizontal, drawn anterior-left (the usual convention for sagittal views). For a PSR file axis 1 runs superior, so
/// it is vertical with index 0 at the bottom, and axis 0 runs posterior, so index 0 (most anterior) is on the left.
/// </summary>
public sealed record SagittalView
{
    /// <summary>Voxel axis (0 or 1) drawn vertically.</summary>
    public required int VerticalAxis { get; init; }

    /// <summary>Voxel axis (0 or 1) drawn horizontally.</summary>
    public int HorizontalAxis => 1 - VerticalAxis;

    /// <summary>True when voxel index 0 of the vertical axis is drawn at the bottom (the axis points superior).</summary>
    public required bool VerticalIndexGrowsUp { get; init; }

    /// <summary>True when voxel index 0 of the horizontal axis is drawn at the right (the axis points anterior).</summary>
    public required bool HorizontalIndexGrowsLeft { get; init; }

    /// <summary>World letters at the edges: top, bottom, left, right (e.g. S, I, A, P).</summary>
    public required string[] EdgeLetters { get; init; }

    /// <summary>Spacing (mm) along the vertical and horizontal voxel axes.</summary>
    public required double VerticalSpacing { get; init; }

    public required double HorizontalSpacing { get; init; }

    /// <summary>Chooses the view from the voxel-to-RAS affine.</summary>
    public static SagittalView FromAffine(Affine affine)
    {
        ArgumentNullException.ThrowIfNull(affine);
        // Column j of the affine is the world step of voxel axis j; row 2 is its superior component, row 1 anterior.
        var v = Math.Abs(affine[2, 1] / Norm(affine, 1)) >= Math.Abs(affine[2, 0] / Norm(affine, 0)) ? 1 : 0;
        var h = 1 - v;
        var up = affine[2, v] >= 0;
        var horizontalWorld = DominantWorldAxis(affine, h);
        var sign = affine[horizontalWorld, h];

        // Anterior-left for a sagittal view; if the horizontal axis is really left-right (not a sagittal slice), keep
        // patient right on the left (radiological), which is the same rule as "the positive RAS direction goes left".
        var growsLeft = sign >= 0;
        var pos = horizontalWorld switch { 0 => "R", 1 => "A", _ => "S" };
        var neg = horizontalWorld switch { 0 => "L", 1 => "P", _ => "I" };
        return new SagittalView
        {
            VerticalAxis = v,
            VerticalIndexGrowsUp = up,
            HorizontalIndexGrowsLeft = growsLeft,
            EdgeLetters = ["S", "I", pos, neg],
            VerticalSpacing = Norm(affine, v),
            HorizontalSpacing = Norm(affine, h),
        };
    }

    /// <summary>Extent in voxels along the vertical and horizontal axes for <paramref name="shape"/>.</summary>
    public (int Vertical, int Horizontal) Extents(Shape3 shape)
        => VerticalAxis == 1 ? (shape.Y, shape.X) : (shape.X, shape.Y);

    private static int DominantWorldAxis(Affine a, int column)
    {
        // Ignore the superior component: that direction is already the vertical.
        return Math.Abs(a[0, column]) >= Math.Abs(a[1, column]) ? 0 : 1;
    }

    private static double Norm(Affine a, int column)
    {
        var n = a.ColumnNorm(column);
        return n > 0 ? n : 1;
    }
}

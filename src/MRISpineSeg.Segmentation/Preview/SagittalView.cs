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
    private static readonly string[] Positive = ["R", "A", "S"];
    private static readonly string[] Negative = ["L", "P", "I"];

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

    /// <summary>
    /// Chooses the view from the voxel-to-RAS affine. The vertical is the in-plane axis closer to superior; it is drawn
    /// with its world direction's positive end up (S, or A when the slice is really axial). The horizontal is drawn with
    /// its positive end (A, or R) on the left: anterior-left for sagittal slices, radiological right-on-left for axial.
    /// </summary>
    public static SagittalView FromAffine(Affine affine)
    {
        ArgumentNullException.ThrowIfNull(affine);
        // Column j of the affine is the world step of voxel axis j; row 2 is its superior component.
        var v = Math.Abs(affine[2, 1] / Norm(affine, 1)) >= Math.Abs(affine[2, 0] / Norm(affine, 0)) ? 1 : 0;
        var h = 1 - v;
        var wv = DominantWorldAxis(affine, v, exclude: -1);
        var wh = DominantWorldAxis(affine, h, exclude: wv);
        return new SagittalView
        {
            VerticalAxis = v,
            VerticalIndexGrowsUp = affine[wv, v] >= 0,
            HorizontalIndexGrowsLeft = affine[wh, h] >= 0,
            EdgeLetters = [Positive[wv], Negative[wv], Positive[wh], Negative[wh]],
            VerticalSpacing = Norm(affine, v),
            HorizontalSpacing = Norm(affine, h),
        };
    }

    /// <summary>Extent in voxels along the vertical and horizontal axes for <paramref name="shape"/>.</summary>
    public (int Vertical, int Horizontal) Extents(Shape3 shape)
        => VerticalAxis == 1 ? (shape.Y, shape.X) : (shape.X, shape.Y);

    /// <summary>The RAS axis (0, 1, 2) that voxel axis <paramref name="column"/> runs most nearly along, ties to the later one.</summary>
    private static int DominantWorldAxis(Affine a, int column, int exclude)
    {
        var best = -1;
        for (var k = 2; k >= 0; k--)
        {
            if (k == exclude) continue;
            if (best < 0 || Math.Abs(a[k, column]) > Math.Abs(a[best, column])) best = k;
        }

        return best;
    }

    private static double Norm(Affine a, int column)
    {
        var n = a.ColumnNorm(column);
        return n > 0 ? n : 1;
    }
}

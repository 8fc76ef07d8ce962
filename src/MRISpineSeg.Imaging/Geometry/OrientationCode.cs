namespace MRISpineSeg.Imaging.Geometry;

/// <summary>
/// Axis codes in nibabel's <c>aff2axcodes</c> sense: for each voxel axis, the RAS world direction it points towards
/// (R/L, A/P, S/I). A 3-letter code such as <c>PSR</c> says axis 0 runs posterior, axis 1 superior, axis 2 right.
/// </summary>
public static class OrientationCode
{
    /// <summary>
    /// The axis codes <see cref="AxisOrientation"/> chooses (nibabel's <c>io_orientation</c>: closest axes for an oblique
    /// grid, no world axis used twice); <c>???</c> when the affine has no orientation (NaN, a zero or collinear axis).
    /// </summary>
    public static string FromAffine(Affine affine) => AxisOrientation.TryFromAffine(affine, out _)?.Code ?? "???";
}

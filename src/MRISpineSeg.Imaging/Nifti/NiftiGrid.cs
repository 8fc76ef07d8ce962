namespace MRISpineSeg.Imaging.Nifti;

/// <summary>
/// The NIfTI fields that define a voxel grid (docs/design.md §3): dims, pixdim, qform and sform with their codes, and
/// xyzt_units. Two headers with equal grid fields put every voxel at the same place, bit for bit — the promise a mask
/// written for a scan keeps.
/// </summary>
public static class NiftiGrid
{
    /// <summary>True when every grid field is identical; otherwise <paramref name="difference"/> names the first that is not.</summary>
    public static bool SameGrid(NiftiHeader a, NiftiHeader b, out string difference)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        difference =
            !a.Dim.AsSpan().SequenceEqual(b.Dim) ? $"dim [{string.Join(",", a.Dim)}] vs [{string.Join(",", b.Dim)}]"
            : !a.Pixdim.AsSpan().SequenceEqual(b.Pixdim) ? $"pixdim [{string.Join(",", a.Pixdim)}] vs [{string.Join(",", b.Pixdim)}]"
            : a.QformCode != b.QformCode ? $"qform_code {a.QformCode} vs {b.QformCode}"
            : a.SformCode != b.SformCode ? $"sform_code {a.SformCode} vs {b.SformCode}"
            : (a.QuaternB, a.QuaternC, a.QuaternD) != (b.QuaternB, b.QuaternC, b.QuaternD) ? "quatern_b/c/d differ"
            : (a.QOffsetX, a.QOffsetY, a.QOffsetZ) != (b.QOffsetX, b.QOffsetY, b.QOffsetZ) ? "qoffset_x/y/z differ"
            : !a.SrowX.AsSpan().SequenceEqual(b.SrowX) || !a.SrowY.AsSpan().SequenceEqual(b.SrowY) || !a.SrowZ.AsSpan().SequenceEqual(b.SrowZ) ? "srow_x/y/z differ"
            : a.XyztUnits != b.XyztUnits ? $"xyzt_units {a.XyztUnits} vs {b.XyztUnits}"
            : string.Empty;
        return difference.Length == 0;
    }
}

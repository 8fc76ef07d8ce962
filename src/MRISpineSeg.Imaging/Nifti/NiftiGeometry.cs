using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Nifti;

/// <summary>
/// What a NIfTI header means: grid shape, RAS affine, spacing and intensity scaling, each as nibabel decides it
/// (docs/design.md §3). Also the reverse: header fields for a geometry that did not come from NIfTI.
/// </summary>
public static class NiftiGeometry
{
    /// <summary>
    /// nibabel's <c>get_best_affine</c>: the sform when sform_code is 1..5, else the qform when qform_code is 1..5, else
    /// the pixdim-only affine. nibabel resets codes outside 0..5 to 0 when it loads, so they count as unset here too.
    /// </summary>
    public static Affine BestAffine(NiftiHeader h)
    {
        if (IsKnownCode(h.SformCode)) return SformAffine(h);
        if (IsKnownCode(h.QformCode)) return QformAffine(h);
        return BaseAffine(h);
    }

    /// <summary>Which transform <see cref="BestAffine"/> used: "sform", "qform" or "pixdim".</summary>
    public static string BestAffineSource(NiftiHeader h)
        => IsKnownCode(h.SformCode) ? "sform" : IsKnownCode(h.QformCode) ? "qform" : "pixdim";

    /// <summary>The header fields <see cref="BestAffine"/> was built from, for error messages.</summary>
    public static string BestAffineFields(NiftiHeader h) => BestAffineSource(h) switch
    {
        "sform" => "sform (srow_x, srow_y, srow_z)",
        "qform" => "qform (quatern_b/c/d, pixdim[1..3], qfac)",
        _ => "pixdim[1..3]",
    };

    public static Affine SformAffine(NiftiHeader h) => Affine.FromRows(
        h.SrowX[0], h.SrowX[1], h.SrowX[2], h.SrowX[3],
        h.SrowY[0], h.SrowY[1], h.SrowY[2], h.SrowY[3],
        h.SrowZ[0], h.SrowZ[1], h.SrowZ[2], h.SrowZ[3]);

    /// <summary>
    /// The qform: R(quaternion) · diag(pixdim[1], pixdim[2], qfac·pixdim[3]) plus qoffset. qfac is pixdim[0]; nibabel
    /// treats any value other than −1 as 1. Negative pixdims are taken by magnitude, as nibabel's loader fixes them.
    /// </summary>
    public static Affine QformAffine(NiftiHeader h)
    {
        var (a, b, c, d) = Quaternions.FillPositive(h.QuaternB, h.QuaternC, h.QuaternD);
        var r = Quaternions.ToMatrix(a, b, c, d);
        var qfac = h.Pixdim[0] == -1 ? -1.0 : 1.0;
        var sx = Math.Abs(h.Pixdim[1]);
        var sy = Math.Abs(h.Pixdim[2]);
        var sz = Math.Abs(h.Pixdim[3]) * qfac;
        return Affine.FromRows(
            r[0] * sx, r[1] * sy, r[2] * sz, h.QOffsetX,
            r[3] * sx, r[4] * sy, r[5] * sz, h.QOffsetY,
            r[6] * sx, r[7] * sy, r[8] * sz, h.QOffsetZ);
    }

    /// <summary>
    /// nibabel's pixdim-only ("base") affine: diag(−sx, sy, sz) centred on the grid, i.e. voxel (n−1)/2 at world 0,
    /// with x flipped (radiological Analyze convention).
    /// </summary>
    public static Affine BaseAffine(NiftiHeader h)
    {
        var shape = GridExtents(h);
        var zx = -Math.Abs(h.Pixdim[1]);
        var zy = Math.Abs(h.Pixdim[2]);
        var zz = Math.Abs(h.Pixdim[3]);
        return Affine.FromRows(
            zx, 0, 0, -((shape.X - 1) / 2.0) * zx,
            0, zy, 0, -((shape.Y - 1) / 2.0) * zy,
            0, 0, zz, -((shape.Z - 1) / 2.0) * zz);
    }

    /// <summary>Geometry as nibabel sees it: best affine, and spacing = |pixdim[1..3]| (its <c>get_zooms</c>).</summary>
    public static VolumeGeometry ToGeometry(NiftiHeader h)
        => new(BestAffine(h), Math.Abs(h.Pixdim[1]), Math.Abs(h.Pixdim[2]), Math.Abs(h.Pixdim[3]));

    /// <summary>
    /// nibabel's <c>get_slope_inter</c>: no scaling when the slope is 0 or not finite; an error when the slope is valid
    /// but the intercept is not finite.
    /// </summary>
    public static Scaling ToScaling(NiftiHeader h, string? fileName)
    {
        var slope = h.SclSlope;
        if (slope == 0 || !double.IsFinite(slope)) return Scaling.Identity;
        if (!double.IsFinite(h.SclInter))
            throw new VolumeFormatException(VolumeErrorReason.InvalidScaling, fileName, "scl_inter", $"is {h.SclInter} while scl_slope is {slope}; with a valid slope the intercept must be finite");
        return new Scaling(slope, h.SclInter);
    }

    /// <summary>
    /// The 3-D grid of a header. Dimensions past the third must be 1 (a 4-D file with t = 1 is accepted).
    /// </summary>
    public static Shape3 ToShape(NiftiHeader h, string? fileName)
    {
        var ndim = h.NDim;
        for (var i = 1; i <= ndim; i++)
        {
            if (h.Dim[i] < 1)
                throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, $"dim[{i}]", $"is {h.Dim[i]}; every extent up to dim[0] = {ndim} must be at least 1");
            if (h.Dim[i] > int.MaxValue)
                throw new VolumeFormatException(VolumeErrorReason.TooLarge, fileName, $"dim[{i}]", $"is {h.Dim[i]}; extents above {int.MaxValue} are not supported");
        }

        for (var i = 4; i <= ndim; i++)
        {
            if (h.Dim[i] != 1)
            {
                var what = i == 4 ? $"a 4-D series with t = {h.Dim[4]}" : $"dim[{i}] = {h.Dim[i]}";
                throw new VolumeFormatException(VolumeErrorReason.UnsupportedDimensions, fileName, $"dim[{i}]", $"{what}; only single 3-D volumes are supported (extents past the third must be 1). Split the series into 3-D files first");
            }
        }

        return GridExtents(h);
    }

    private static Shape3 GridExtents(NiftiHeader h)
    {
        var ndim = h.NDim;
        int E(int i) => i <= ndim && h.Dim[i] >= 1 ? (int)Math.Min(h.Dim[i], int.MaxValue) : 1;
        return new Shape3(E(1), E(2), E(3));
    }

    /// <summary>
    /// A fresh NIfTI-1 header for a volume that has no NIfTI header of its own (e.g. read from MetaImage): the affine
    /// is stored both as sform and as qform, each with code 1 (scanner), as ITK writes them; units mm and s.
    /// </summary>
    public static NiftiHeader CreateHeader(Shape3 shape, VoxelType type, VolumeGeometry geometry, Scaling scaling)
    {
        var a = geometry.Affine;
        Span<double> r = stackalloc double[9];
        var zooms = new double[3];
        for (var j = 0; j < 3; j++)
        {
            zooms[j] = a.ColumnNorm(j);
            var n = zooms[j] == 0 ? 1 : zooms[j];
            for (var i = 0; i < 3; i++) r[(i * 3) + j] = a[i, j] / n;
        }

        var det = (r[0] * ((r[4] * r[8]) - (r[5] * r[7]))) - (r[1] * ((r[3] * r[8]) - (r[5] * r[6]))) + (r[2] * ((r[3] * r[7]) - (r[4] * r[6])));
        var qfac = 1.0;
        if (det < 0)
        {
            qfac = -1.0;
            r[2] = -r[2];
            r[5] = -r[5];
            r[8] = -r[8];
        }

        var (_, x, y, z) = Quaternions.FromMatrix(r);
        var t = a.Translation;
        return new NiftiHeader
        {
            Version = 1,
            Magic = "n+1",
            DataType = NiftiDataType.FromVoxelType(type),
            BitPix = (short)(VoxelTypes.SizeOf(type) * 8),
            Dim = [3, shape.X, shape.Y, shape.Z, 1, 1, 1, 1],
            Pixdim = [qfac, geometry.SpacingX, geometry.SpacingY, geometry.SpacingZ, 0, 0, 0, 0],
            VoxOffset = 352,
            SclSlope = scaling.IsIdentity ? double.NaN : scaling.Slope,
            SclInter = scaling.IsIdentity ? double.NaN : scaling.Intercept,
            XyztUnits = 2 | 8,
            QformCode = 1,
            SformCode = 1,
            QuaternB = x,
            QuaternC = y,
            QuaternD = z,
            QOffsetX = t.X,
            QOffsetY = t.Y,
            QOffsetZ = t.Z,
            SrowX = [a[0, 0], a[0, 1], a[0, 2], a[0, 3]],
            SrowY = [a[1, 0], a[1, 1], a[1, 2], a[1, 3]],
            SrowZ = [a[2, 0], a[2, 1], a[2, 2], a[2, 3]],
        };
    }

    private static bool IsKnownCode(int code) => code is >= 1 and <= 5;
}

namespace MRISpineSeg.Imaging.Geometry;

/// <summary>
/// Where a voxel grid sits in the patient: the RAS voxel-to-world affine (mm) and the voxel spacing (mm).
/// <para>
/// For NIfTI the affine is nibabel's <c>get_best_affine</c> (sform if sform_code &gt; 0, else qform if qform_code &gt; 0,
/// else the pixdim-only affine) and the spacing is pixdim[1..3]. For MetaImage both come from the header,
/// converted from ITK's LPS to RAS by negating world x and y.
/// </para>
/// </summary>
public sealed record VolumeGeometry(Affine Affine, double SpacingX, double SpacingY, double SpacingZ)
{
    /// <summary>World position (RAS, mm) of voxel (0,0,0).</summary>
    public (double X, double Y, double Z) Origin => Affine.Translation;

    /// <summary>Spacing as an array (x, y, z), mm.</summary>
    public double[] Spacing => [SpacingX, SpacingY, SpacingZ];

    /// <summary>The 3×3 direction cosines (RAS), row-major; column j is the unit direction of voxel axis j.</summary>
    public double[] Direction
    {
        get
        {
            var d = new double[9];
            for (var j = 0; j < 3; j++)
            {
                var n = Affine.ColumnNorm(j);
                if (n == 0) n = 1;
                for (var i = 0; i < 3; i++) d[(i * 3) + j] = Affine[i, j] / n;
            }

            return d;
        }
    }

    /// <summary>The same affine in ITK's LPS world (x and y negated).</summary>
    public Affine AffineLps => Affine.FlipXY();

    /// <summary>Orientation code such as <c>PSR</c>: the world direction each voxel axis points towards.</summary>
    public string Orientation => OrientationCode.FromAffine(Affine);

    /// <summary>An axis-aligned RAS geometry with the given spacing and origin (no rotation).</summary>
    public static VolumeGeometry FromSpacing(double sx, double sy, double sz, double ox = 0, double oy = 0, double oz = 0)
        => new(Affine.FromRows(sx, 0, 0, ox, 0, sy, 0, oy, 0, 0, sz, oz), sx, sy, sz);

    /// <summary>
    /// True when both grids put every voxel at the same place within <paramref name="toleranceMm"/>:
    /// spacing, origin and direction (scaled by the extents) are compared, as the scoring rules ask.
    /// </summary>
    public bool Matches(VolumeGeometry other, double toleranceMm, out string difference)
    {
        difference = string.Empty;
        var a = Spacing;
        var b = other.Spacing;
        for (var i = 0; i < 3; i++)
        {
            if (Math.Abs(a[i] - b[i]) > toleranceMm)
            {
                difference = $"spacing[{i}] {a[i]:G6} vs {b[i]:G6} mm";
                return false;
            }
        }

        var d = Affine.MaxAbsDifference(other.Affine);
        if (d > toleranceMm)
        {
            difference = $"affine differs by up to {d:G4} mm (origin {Fmt(Origin)} vs {Fmt(other.Origin)}, orientation {Orientation} vs {other.Orientation})";
            return false;
        }

        return true;
    }

    private static string Fmt((double X, double Y, double Z) p) => $"({p.X:0.###}, {p.Y:0.###}, {p.Z:0.###})";
}

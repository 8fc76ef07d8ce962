using System.Globalization;

namespace MRISpineSeg.Imaging.Geometry;

/// <summary>
/// An immutable 4×4 homogeneous voxel-to-world matrix, row-major. Column j of the upper 3×3 is the world step (mm)
/// of one voxel along axis j; column 3 is the world position of voxel (0,0,0). Whether world space is RAS (NIfTI)
/// or LPS (ITK/MetaImage) is the caller's contract; <see cref="VolumeGeometry"/> always stores RAS.
/// </summary>
public sealed class Affine : IEquatable<Affine>
{
    private readonly double[] _m;

    private Affine(double[] m) => _m = m;

    public static Affine Identity { get; } = FromRows(
        1, 0, 0, 0,
        0, 1, 0, 0,
        0, 0, 1, 0);

    /// <summary>Builds from the top three rows (the fourth is 0 0 0 1).</summary>
    public static Affine FromRows(
        double m00, double m01, double m02, double m03,
        double m10, double m11, double m12, double m13,
        double m20, double m21, double m22, double m23)
        => new([m00, m01, m02, m03, m10, m11, m12, m13, m20, m21, m22, m23, 0, 0, 0, 1]);

    /// <summary>Builds from a 3×3 linear part (row-major) and a translation.</summary>
    public static Affine FromLinear(ReadOnlySpan<double> linear3x3, ReadOnlySpan<double> translation)
        => FromRows(
            linear3x3[0], linear3x3[1], linear3x3[2], translation[0],
            linear3x3[3], linear3x3[4], linear3x3[5], translation[1],
            linear3x3[6], linear3x3[7], linear3x3[8], translation[2]);

    public double this[int row, int column] => _m[(row * 4) + column];

    /// <summary>World position of voxel (0,0,0).</summary>
    public (double X, double Y, double Z) Translation => (_m[3], _m[7], _m[11]);

    /// <summary>The length (mm) of column <paramref name="axis"/>: the voxel size the matrix implies along that axis.</summary>
    public double ColumnNorm(int axis)
        => Math.Sqrt((this[0, axis] * this[0, axis]) + (this[1, axis] * this[1, axis]) + (this[2, axis] * this[2, axis]));

    /// <summary>Determinant of the 3×3 linear part (negative for a left-handed voxel frame, e.g. qfac −1).</summary>
    public double Determinant3 =>
        (this[0, 0] * ((this[1, 1] * this[2, 2]) - (this[1, 2] * this[2, 1])))
        - (this[0, 1] * ((this[1, 0] * this[2, 2]) - (this[1, 2] * this[2, 0])))
        + (this[0, 2] * ((this[1, 0] * this[2, 1]) - (this[1, 1] * this[2, 0])));

    /// <summary>Flips world x and y: RAS ↔ LPS. Its own inverse.</summary>
    public Affine FlipXY() => FromRows(
        -this[0, 0], -this[0, 1], -this[0, 2], -this[0, 3],
        -this[1, 0], -this[1, 1], -this[1, 2], -this[1, 3],
        this[2, 0], this[2, 1], this[2, 2], this[2, 3]);

    /// <summary>This matrix times <paramref name="other"/> (apply <paramref name="other"/> first).</summary>
    public Affine Multiply(Affine other)
    {
        var r = new double[16];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                double s = 0;
                for (var k = 0; k < 4; k++) s += this[i, k] * other[k, j];
                r[(i * 4) + j] = s;
            }
        }

        return new Affine(r);
    }

    /// <summary>Scales the voxel axes: column j is multiplied by <c>factors[j]</c>; the translation is kept.</summary>
    public Affine ScaleColumns(double fx, double fy, double fz) => FromRows(
        this[0, 0] * fx, this[0, 1] * fy, this[0, 2] * fz, this[0, 3],
        this[1, 0] * fx, this[1, 1] * fy, this[1, 2] * fz, this[1, 3],
        this[2, 0] * fx, this[2, 1] * fy, this[2, 2] * fz, this[2, 3]);

    /// <summary>The 4×4 as nested row arrays, for JSON.</summary>
    public double[][] ToRows()
    {
        var rows = new double[4][];
        for (var i = 0; i < 4; i++) rows[i] = [this[i, 0] + 0.0, this[i, 1] + 0.0, this[i, 2] + 0.0, this[i, 3] + 0.0];
        return rows;
    }

    /// <summary>Largest absolute element-wise difference.</summary>
    public double MaxAbsDifference(Affine other)
    {
        double d = 0;
        for (var i = 0; i < 16; i++) d = Math.Max(d, Math.Abs(_m[i] - other._m[i]));
        return d;
    }

    public bool Equals(Affine? other) => other is not null && _m.AsSpan().SequenceEqual(other._m);

    public override bool Equals(object? obj) => Equals(obj as Affine);

    public override int GetHashCode()
    {
        var h = default(HashCode);
        foreach (var v in _m) h.Add(v);
        return h.ToHashCode();
    }

    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        return string.Join(
            Environment.NewLine,
            Enumerable.Range(0, 4).Select(i => string.Format(ci, "[{0,12:0.######} {1,12:0.######} {2,12:0.######} {3,12:0.######}]", this[i, 0] + 0.0, this[i, 1] + 0.0, this[i, 2] + 0.0, this[i, 3] + 0.0)));
    }
}

namespace MRISpineSeg.Imaging.Geometry;

/// <summary>
/// For each voxel axis of a grid, the RAS world axis it runs along and its sign, chosen from the affine exactly as
/// nibabel's <c>io_orientation</c> chooses them (docs/design.md §3): the columns are normalised, the 3×3 is replaced by
/// its closest orthogonal matrix (the polar factor, nibabel takes it from the SVD), then voxel axes 0, 1, 2 in turn take
/// the world axis with the largest absolute cosine among those not yet taken. An oblique scan therefore gets its
/// closest axes, and no world axis is used twice.
/// </summary>
public sealed class AxisOrientation
{
    private static readonly char[,] Letters = { { 'L', 'R' }, { 'P', 'A' }, { 'I', 'S' } };
    private readonly int[] _world;
    private readonly bool[] _positive;

    private AxisOrientation(int[] world, bool[] positive)
    {
        _world = world;
        _positive = positive;
        Code = new string([Letter(0), Letter(1), Letter(2)]);
    }

    /// <summary>The axis codes, e.g. <c>PSR</c>: axis 0 runs posterior, axis 1 superior, axis 2 right.</summary>
    public string Code { get; }

    /// <summary>The RAS world axis (0 = R/L, 1 = A/P, 2 = S/I) that voxel axis <paramref name="axis"/> runs along.</summary>
    public int WorldAxis(int axis) => _world[axis];

    /// <summary>True when voxel axis <paramref name="axis"/> runs towards R, A or S.</summary>
    public bool IsPositive(int axis) => _positive[axis];

    /// <summary>The voxel axis that runs along world axis <paramref name="worldAxis"/>.</summary>
    public int AxisAlong(int worldAxis) => Array.IndexOf(_world, worldAxis);

    /// <summary>
    /// The orientation of <paramref name="affine"/>, or null with <paramref name="problem"/> set when the affine has no
    /// orientation: a non-finite element, a zero column (a voxel axis of no length) or collinear columns.
    /// </summary>
    public static AxisOrientation? TryFromAffine(Affine affine, out string problem)
    {
        ArgumentNullException.ThrowIfNull(affine);
        problem = string.Empty;
        var rs = new double[3, 3];
        for (var j = 0; j < 3; j++)
        {
            for (var i = 0; i < 3; i++)
            {
                if (!double.IsFinite(affine[i, j]))
                {
                    problem = $"element [{i},{j}] is {affine[i, j]}; every element must be a finite number";
                    return null;
                }
            }

            var n = affine.ColumnNorm(j);
            if (!(n > 0))
            {
                problem = $"voxel axis {j} has zero length (column {j} of the affine is all zero); each axis needs a direction and a voxel size > 0";
                return null;
            }

            for (var i = 0; i < 3; i++) rs[i, j] = affine[i, j] / n;
        }

        if (Math.Abs(Det(rs)) < 1e-6)
        {
            problem = "the voxel axes are collinear or coplanar (the direction matrix is singular); the three axes must span 3-D space";
            return null;
        }

        var r = PolarFactor(rs);
        var world = new int[3];
        var positive = new bool[3];
        var taken = new bool[3];
        for (var j = 0; j < 3; j++)
        {
            var best = -1;
            for (var i = 0; i < 3; i++)
            {
                if (taken[i]) continue;
                if (best < 0 || Math.Abs(r[i, j]) > Math.Abs(r[best, j])) best = i; // numpy argmax: first of equals
            }

            taken[best] = true;
            world[j] = best;
            positive[j] = r[best, j] > 0;
        }

        return new AxisOrientation(world, positive);
    }

    /// <summary>Parses axis codes such as <c>PSR</c> or <c>ras</c>; null with <paramref name="problem"/> set when invalid.</summary>
    public static AxisOrientation? TryParse(string? code, out string problem)
    {
        problem = string.Empty;
        if (code is null || code.Length != 3)
        {
            problem = $"\"{code}\" is not 3 letters; axis codes are one of R/L, one of A/P and one of I/S in any order, e.g. PSR or RAS";
            return null;
        }

        var world = new int[3];
        var positive = new bool[3];
        var seen = new bool[3];
        for (var j = 0; j < 3; j++)
        {
            var c = char.ToUpperInvariant(code[j]);
            var w = c switch { 'R' or 'L' => 0, 'A' or 'P' => 1, 'S' or 'I' => 2, _ => -1 };
            if (w < 0 || seen[w])
            {
                problem = w < 0
                    ? $"\"{code}\": '{code[j]}' is not one of R, L, A, P, S, I"
                    : $"\"{code}\" names the {(w == 0 ? "left-right" : w == 1 ? "anterior-posterior" : "superior-inferior")} axis twice; use each of R/L, A/P, I/S once, e.g. PSR";
                return null;
            }

            seen[w] = true;
            world[j] = w;
            positive[j] = c is 'R' or 'A' or 'S';
        }

        return new AxisOrientation(world, positive);
    }

    public override string ToString() => Code;

    private char Letter(int axis) => Letters[_world[axis], _positive[axis] ? 1 : 0];

    private static double Det(double[,] m) =>
        (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
        - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
        + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));

    /// <summary>
    /// The orthogonal polar factor U·Vᵀ of a non-singular 3×3 (what nibabel builds from the SVD), by Newton's iteration
    /// X ← (X + X⁻ᵀ) / 2, which converges quadratically to it.
    /// </summary>
    private static double[,] PolarFactor(double[,] m)
    {
        var x = (double[,])m.Clone();
        for (var iter = 0; iter < 100; iter++)
        {
            var d = Det(x);
            var next = new double[3, 3];
            double change = 0;
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    // (X⁻ᵀ)[i,j] = cofactor(i,j) / det
                    var i1 = (i + 1) % 3;
                    var i2 = (i + 2) % 3;
                    var j1 = (j + 1) % 3;
                    var j2 = (j + 2) % 3;
                    var cof = (x[i1, j1] * x[i2, j2]) - (x[i1, j2] * x[i2, j1]);
                    next[i, j] = 0.5 * (x[i, j] + (cof / d));
                    change = Math.Max(change, Math.Abs(next[i, j] - x[i, j]));
                }
            }

            x = next;
            if (change < 1e-15) break;
        }

        return x;
    }
}

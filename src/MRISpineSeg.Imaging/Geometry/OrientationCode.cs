namespace MRISpineSeg.Imaging.Geometry;

/// <summary>
/// Axis codes in nibabel's <c>aff2axcodes</c> sense: for each voxel axis, the RAS world direction it points towards
/// (R/L, A/P, S/I). A 3-letter code such as <c>PSR</c> says axis 0 runs posterior, axis 1 superior, axis 2 right.
/// </summary>
public static class OrientationCode
{
    private static readonly char[,] Labels = { { 'L', 'R' }, { 'P', 'A' }, { 'I', 'S' } };

    /// <summary>
    /// Assigns each voxel axis to the world axis it is closest to, greedily by the largest absolute direction cosine,
    /// so that no world axis is used twice even for oblique grids (nibabel's <c>io_orientation</c> does the same after
    /// orthogonalising). A zero column gives '?'.
    /// </summary>
    public static string FromAffine(Affine affine)
    {
        Span<double> cos = stackalloc double[9]; // [world i, voxel j]
        for (var j = 0; j < 3; j++)
        {
            var n = affine.ColumnNorm(j);
            for (var i = 0; i < 3; i++) cos[(i * 3) + j] = n == 0 ? 0 : affine[i, j] / n;
        }

        Span<char> code = ['?', '?', '?'];
        Span<bool> worldUsed = stackalloc bool[3];
        Span<bool> voxelUsed = stackalloc bool[3];
        for (var round = 0; round < 3; round++)
        {
            double best = 0;
            int bi = -1, bj = -1;
            for (var i = 0; i < 3; i++)
            {
                if (worldUsed[i]) continue;
                for (var j = 0; j < 3; j++)
                {
                    if (voxelUsed[j]) continue;
                    var v = Math.Abs(cos[(i * 3) + j]);
                    if (v > best)
                    {
                        best = v;
                        bi = i;
                        bj = j;
                    }
                }
            }

            if (bi < 0) break;
            worldUsed[bi] = true;
            voxelUsed[bj] = true;
            code[bj] = Labels[bi, cos[(bi * 3) + bj] > 0 ? 1 : 0];
        }

        return new string(code);
    }
}

namespace MRISpineSeg.Scoring.Metrics;

/// <summary>
/// Exact squared Euclidean distance transform on an anisotropic grid (Felzenszwalb &amp; Huttenlocher, separable along
/// x, y, z). Buffers are x-fastest, <c>index = x + nx·(y + ny·z)</c>; spacing is in mm, so results are mm².
/// Equivalent to <c>scipy.ndimage.distance_transform_edt(~features, sampling=spacing) ** 2</c>.
/// </summary>
internal static class DistanceTransform
{
    /// <summary>For every voxel, the squared distance (mm²) to the nearest voxel where <paramref name="features"/> is true; +∞ when there is none.</summary>
    public static double[] SquaredToNearest(ReadOnlySpan<bool> features, int nx, int ny, int nz, double sx, double sy, double sz)
    {
        var d = new double[features.Length];
        for (var i = 0; i < d.Length; i++) d[i] = features[i] ? 0 : double.PositiveInfinity;
        var maxN = Math.Max(nx, Math.Max(ny, nz));
        var f = new double[maxN];
        var o = new double[maxN];
        var v = new int[maxN];
        var zb = new double[maxN + 1];
        for (var z = 0; z < nz; z++)
        {
            for (var y = 0; y < ny; y++) Line(d, (nx * (y + (ny * z))), 1, nx, sx, f, o, v, zb);
        }

        for (var z = 0; z < nz; z++)
        {
            for (var x = 0; x < nx; x++) Line(d, x + (nx * ny * z), nx, ny, sy, f, o, v, zb);
        }

        for (var y = 0; y < ny; y++)
        {
            for (var x = 0; x < nx; x++) Line(d, x + (nx * y), nx * ny, nz, sz, f, o, v, zb);
        }

        return d;
    }

    /// <summary>1-D lower envelope of parabolas <c>w²(q−p)² + f(p)</c> over the finite samples of one grid line.</summary>
    private static void Line(double[] d, int start, int stride, int n, double w, double[] f, double[] o, int[] v, double[] zb)
    {
        for (var q = 0; q < n; q++) f[q] = d[start + (q * stride)];
        var w2 = w * w;
        var k = -1;
        for (var q = 0; q < n; q++)
        {
            if (double.IsPositiveInfinity(f[q])) continue;
            if (k < 0)
            {
                k = 0;
                v[0] = q;
                zb[0] = double.NegativeInfinity;
                zb[1] = double.PositiveInfinity;
                continue;
            }

            double s;
            while (true)
            {
                var p = v[k];
                s = ((f[q] + (w2 * q * q)) - (f[p] + (w2 * p * p))) / (2 * w2 * (q - p));
                if (s > zb[k] || k == 0) break;
                k--;
            }

            if (s <= zb[k])
            {
                // Only reachable at k == 0: the new parabola dominates the single one left.
                v[0] = q;
                zb[0] = double.NegativeInfinity;
                zb[1] = double.PositiveInfinity;
                continue;
            }

            k++;
            v[k] = q;
            zb[k] = s;
            zb[k + 1] = double.PositiveInfinity;
        }

        if (k < 0)
        {
            for (var q = 0; q < n; q++) o[q] = double.PositiveInfinity;
        }
        else
        {
            var j = 0;
            for (var q = 0; q < n; q++)
            {
                while (zb[j + 1] < q) j++;
                var dq = (q - v[j]) * w;
                o[q] = (dq * dq) + f[v[j]];
            }
        }

        for (var q = 0; q < n; q++) d[start + (q * stride)] = o[q];
    }
}

using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Scoring.Metrics;

namespace MRISpineSeg.Scoring.Tests.Metrics;

public sealed class SurfaceMetricsTests
{
    [Fact]
    public void DistanceTransformShouldMatchBruteForceOnAnAnisotropicGrid()
    {
        const int nx = 9, ny = 7, nz = 5;
        double sx = 0.6, sy = 0.9, sz = 4.4;
        var rng = new Random(3);
        var f = new bool[nx * ny * nz];
        for (var i = 0; i < f.Length; i++) f[i] = rng.NextDouble() < 0.05;
        f[0] = true;
        var d = DistanceTransform.SquaredToNearest(f, nx, ny, nz, sx, sy, sz);
        for (var z = 0; z < nz; z++)
        {
            for (var y = 0; y < ny; y++)
            {
                for (var x = 0; x < nx; x++)
                {
                    var best = double.PositiveInfinity;
                    for (var j = 0; j < f.Length; j++)
                    {
                        if (!f[j]) continue;
                        int fx = j % nx, fy = j / nx % ny, fz = j / (nx * ny);
                        var dd = Math.Pow((x - fx) * sx, 2) + Math.Pow((y - fy) * sy, 2) + Math.Pow((z - fz) * sz, 2);
                        best = Math.Min(best, dd);
                    }

                    Assert.Equal(best, d[x + (nx * (y + (ny * z)))], 9);
                }
            }
        }
    }

    [Fact]
    public void DistanceTransformWithoutFeaturesShouldBeInfinite()
    {
        var d = DistanceTransform.SquaredToNearest(new bool[8], 2, 2, 2, 1, 1, 1);
        Assert.All(d, v => Assert.True(double.IsPositiveInfinity(v)));
    }

    [Fact]
    public void ASlabShiftedOneSliceShouldBeOneSliceSpacingAway()
    {
        // A 4x4x1 slab at z=1 in truth and z=2 in prediction: every surface voxel is exactly one slice (4.4 mm) away.
        var shape = new Shape3(6, 6, 4);
        var t = new byte[shape.Count];
        var p = new byte[shape.Count];
        for (var y = 1; y < 5; y++)
        {
            for (var x = 1; x < 5; x++)
            {
                t[shape.Index(x, y, 1)] = 7;
                p[shape.Index(x, y, 2)] = 7;
            }
        }

        var (hd95, assd) = SurfaceMetrics.Compute(t, p, shape, 0.6, 0.6, 4.4);
        Assert.Equal(4.4, hd95[7]!.Value, 12);
        Assert.Equal(4.4, assd[7]!.Value, 12);
    }

    [Fact]
    public void SurfaceMetricsShouldBeNullWhenAStructureIsMissingFromEitherMask()
    {
        var shape = new Shape3(4, 4, 2);
        var t = new byte[shape.Count];
        var p = new byte[shape.Count];
        t[0] = 3;
        p[5] = 4;
        t[10] = 5;
        p[10] = 5;
        var (hd95, assd) = SurfaceMetrics.Compute(t, p, shape, 1, 1, 1);
        Assert.Null(hd95[3]);
        Assert.Null(assd[4]);
        Assert.Null(hd95[0]);
        Assert.Equal(0.0, hd95[5]);
        Assert.Equal(0.0, assd[5]);
    }
}

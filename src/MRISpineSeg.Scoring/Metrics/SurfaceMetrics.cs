using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Scoring.Metrics;

/// <summary>
/// Surface distances per structure, in mm on the physical grid (voxel spacing applied; the grid axes are orthogonal).
/// <para>
/// The surface of a structure is its voxels that have a face neighbour (6-connectivity) outside it or lie on the
/// volume edge. For each surface voxel of one mask, the distance is the Euclidean distance to the nearest surface
/// voxel of the other; both directions are pooled (as medpy does):
/// <c>HD95</c> = the 95th percentile (linear interpolation) of the pooled distances;
/// <c>ASSD</c> = the mean of the two directed mean distances.
/// </para>
/// <para>
/// Empty-class rule: a structure absent from the truth or from the prediction (or both) has no surface to measure
/// against, so both metrics are null for it. Background (0) is not measured and is always null.
/// </para>
/// </summary>
public static class SurfaceMetrics
{
    /// <summary>HD95 and ASSD (mm) for labels 0..19; masks are x-fastest with values 0..19 on the same grid.</summary>
    public static (double?[] Hd95, double?[] Assd) Compute(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted, Shape3 shape, double sx, double sy, double sz)
    {
        var hd95 = new double?[SpineLabels.Count];
        var assd = new double?[SpineLabels.Count];
        var bt = BoundingBoxes(truth, shape);
        var bp = BoundingBoxes(predicted, shape);
        for (var c = 1; c < SpineLabels.Count; c++)
        {
            if (bt[c].IsEmpty || bp[c].IsEmpty) continue;
            var box = Box.Union(bt[c], bp[c]);
            var a = Border(Crop(truth, shape, box, (byte)c), box);
            var b = Border(Crop(predicted, shape, box, (byte)c), box);
            var dtA = DistanceTransform.SquaredToNearest(a, box.Nx, box.Ny, box.Nz, sx, sy, sz);
            var dtB = DistanceTransform.SquaredToNearest(b, box.Nx, box.Ny, box.Nz, sx, sy, sz);
            var fromPred = Sample(dtA, b);
            var fromTruth = Sample(dtB, a);
            var pooled = new double[fromPred.Length + fromTruth.Length];
            fromPred.CopyTo(pooled, 0);
            fromTruth.CopyTo(pooled, fromPred.Length);
            Array.Sort(pooled);
            hd95[c] = Percentile(pooled, 95);
            assd[c] = (Mean(fromPred) + Mean(fromTruth)) / 2;
        }

        return (hd95, assd);
    }

    /// <summary>numpy's default (linear) percentile of sorted data.</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        var rank = q / 100 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        var t = rank - lo;
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * t);
    }

    private static double Mean(double[] values)
    {
        double s = 0;
        foreach (var v in values) s += v;
        return s / values.Length;
    }

    private static double[] Sample(double[] squared, bool[] at)
    {
        var n = 0;
        foreach (var b in at) n += b ? 1 : 0;
        var r = new double[n];
        var k = 0;
        for (var i = 0; i < at.Length; i++)
        {
            if (at[i]) r[k++] = Math.Sqrt(squared[i]);
        }

        return r;
    }

    private static bool[] Crop(ReadOnlySpan<byte> labels, Shape3 shape, Box box, byte label)
    {
        var m = new bool[box.Nx * box.Ny * box.Nz];
        var k = 0;
        for (var z = box.Z0; z <= box.Z1; z++)
        {
            for (var y = box.Y0; y <= box.Y1; y++)
            {
                var row = labels.Slice(shape.Index(box.X0, y, z), box.Nx);
                for (var x = 0; x < row.Length; x++) m[k++] = row[x] == label;
            }
        }

        return m;
    }

    /// <summary>
    /// Voxels of the mask with a face neighbour outside it. Outside the box counts as outside the mask: inside the
    /// volume that is true by construction of the box, and beyond the volume edge it is scipy's border_value=0.
    /// </summary>
    private static bool[] Border(bool[] m, Box box)
    {
        int nx = box.Nx, ny = box.Ny, nz = box.Nz;
        var r = new bool[m.Length];
        for (var z = 0; z < nz; z++)
        {
            for (var y = 0; y < ny; y++)
            {
                for (var x = 0; x < nx; x++)
                {
                    var i = x + (nx * (y + (ny * z)));
                    if (!m[i]) continue;
                    r[i] = x == 0 || x == nx - 1 || y == 0 || y == ny - 1 || z == 0 || z == nz - 1
                        || !m[i - 1] || !m[i + 1] || !m[i - nx] || !m[i + nx] || !m[i - (nx * ny)] || !m[i + (nx * ny)];
                }
            }
        }

        return r;
    }

    private static Box[] BoundingBoxes(ReadOnlySpan<byte> labels, Shape3 shape)
    {
        var boxes = new Box[SpineLabels.Count];
        for (var c = 0; c < boxes.Length; c++) boxes[c] = Box.Empty;
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                var row = labels.Slice(shape.Index(0, y, z), shape.X);
                for (var x = 0; x < row.Length; x++)
                {
                    var c = row[x];
                    if (c != 0) boxes[c] = boxes[c].Include(x, y, z);
                }
            }
        }

        return boxes;
    }

    private readonly record struct Box(int X0, int Y0, int Z0, int X1, int Y1, int Z1)
    {
        public static Box Empty => new(int.MaxValue, int.MaxValue, int.MaxValue, -1, -1, -1);

        public bool IsEmpty => X1 < 0;

        public int Nx => X1 - X0 + 1;

        public int Ny => Y1 - Y0 + 1;

        public int Nz => Z1 - Z0 + 1;

        public Box Include(int x, int y, int z)
            => new(Math.Min(X0, x), Math.Min(Y0, y), Math.Min(Z0, z), Math.Max(X1, x), Math.Max(Y1, y), Math.Max(Z1, z));

        public static Box Union(Box a, Box b)
            => new(Math.Min(a.X0, b.X0), Math.Min(a.Y0, b.Y0), Math.Min(a.Z0, b.Z0), Math.Max(a.X1, b.X1), Math.Max(a.Y1, b.Y1), Math.Max(a.Z1, b.Z1));
    }
}

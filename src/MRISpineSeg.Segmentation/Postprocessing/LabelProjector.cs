using MRISpineSeg.Imaging.Resampling;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Postprocessing;

/// <summary>
/// Brings the network's labels back onto the scan (docs/design.md §4, postprocessing): row-major [X, Y, Z] (z fastest, the
/// tensor layout) → x fastest (our volume layout) → order-0 zoom to the scan's own grid with the very kernel
/// <c>spineseg resample --order 0</c> uses (<see cref="ScipyZoom.NearestInto{T}"/>) → a uint8 mask carrying the scan's
/// exact header (<see cref="Volume.CreateMask"/>: dims, pixdim, qform/sform with codes, xyzt_units; docs/design.md §3).
/// </summary>
public static class LabelProjector
{
    /// <summary>The mask for <paramref name="scan"/> from labels predicted at <paramref name="grid"/>.</summary>
    public static Volume ToMask(byte[] rowMajorLabels, Shape3 grid, Volume scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        return scan.CreateMask(ToScanGrid(rowMajorLabels, grid, scan.Shape));
    }

    /// <summary>Labels on <paramref name="scanShape"/>, x fastest.</summary>
    public static byte[] ToScanGrid(byte[] rowMajorLabels, Shape3 grid, Shape3 scanShape)
    {
        var xFastest = ToXFastest(rowMajorLabels, grid);
        if (grid == scanShape) return xFastest;
        var output = GC.AllocateUninitializedArray<byte>(checked((int)scanShape.Count));
        ScipyZoom.NearestInto(xFastest, grid, output, scanShape);
        return output;
    }

    /// <summary>Row-major [X, Y, Z] (z fastest) → x fastest, same grid.</summary>
    public static byte[] ToXFastest(byte[] rowMajor, Shape3 grid)
    {
        ArgumentNullException.ThrowIfNull(rowMajor);
        if (rowMajor.Length != grid.Count)
            throw new ArgumentException($"The network returned {rowMajor.Length} labels but grid {grid} needs {grid.Count}.", nameof(rowMajor));
        var output = GC.AllocateUninitializedArray<byte>(rowMajor.Length);
        int nx = grid.X, ny = grid.Y, nz = grid.Z;
        Parallel.For(0, nz, z =>
        {
            var slice = output.AsSpan(z * nx * ny, nx * ny);
            for (var y = 0; y < ny; y++)
            {
                var row = slice.Slice(y * nx, nx);
                var src = (y * nz) + z;
                var step = ny * nz;
                for (var x = 0; x < row.Length; x++) row[x] = rowMajor[src + (x * step)];
            }
        });
        return output;
    }
}

using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Postprocessing;

/// <summary>The 26 neighbours (faces, edges, corners) of a voxel that lie inside the volume; volumes are x fastest.</summary>
internal static class Neighbourhood26
{
    /// <summary>Writes the indices of <paramref name="v"/>'s neighbours into <paramref name="into"/> (26 long) and returns how many.</summary>
    public static int Fill(int v, Shape3 shape, Span<int> into)
    {
        int nx = shape.X, ny = shape.Y, nz = shape.Z, plane = nx * ny;
        int z = v / plane, rest = v - (z * plane), y = rest / nx, x = rest - (y * nx);
        var count = 0;
        for (var dz = -1; dz <= 1; dz++)
        {
            var zz = z + dz;
            if ((uint)zz >= (uint)nz) continue;
            for (var dy = -1; dy <= 1; dy++)
            {
                var yy = y + dy;
                if ((uint)yy >= (uint)ny) continue;
                var row = (zz * plane) + (yy * nx);
                for (var dx = -1; dx <= 1; dx++)
                {
                    var xx = x + dx;
                    if ((uint)xx >= (uint)nx || (dx | dy | dz) == 0) continue;
                    into[count++] = row + xx;
                }
            }
        }

        return count;
    }
}

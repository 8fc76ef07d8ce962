using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Scoring.Tests.Support;

/// <summary>Writes real mask files (through the imaging library) for tests.</summary>
internal static class Masks
{
    public static readonly Shape3 Small = new(16, 12, 4);

    public static VolumeGeometry Grid(double sx = 0.6, double sy = 0.6, double sz = 4.4, double ox = 0)
        => VolumeGeometry.FromSpacing(sx, sy, sz, ox);

    public static string Write(string dir, string name, byte[] labels, Shape3? shape = null, VolumeGeometry? geometry = null)
    {
        var path = System.IO.Path.Combine(dir, name);
        VolumeIO.Write(new Volume(shape ?? Small, new VoxelBuffer<byte>(labels), geometry ?? Grid()), path);
        return path;
    }

    public static string WriteFloat(string dir, string name, float[] values, Shape3? shape = null, VolumeGeometry? geometry = null)
    {
        var path = System.IO.Path.Combine(dir, name);
        VolumeIO.Write(new Volume(shape ?? Small, new VoxelBuffer<float>(values), geometry ?? Grid()), path);
        return path;
    }

    /// <summary>A mask with a few structures as boxes; <paramref name="seed"/> moves them.</summary>
    public static byte[] Boxes(int seed, Shape3? shape = null, params int[] labels)
    {
        var s = shape ?? Small;
        var m = new byte[s.Count];
        var rng = new Random(seed);
        foreach (var c in labels.Length == 0 ? [1, 2, 11, 12] : labels)
        {
            int x0 = rng.Next(0, s.X - 4), y0 = rng.Next(0, s.Y - 3), z0 = rng.Next(0, s.Z - 1);
            for (var z = z0; z < z0 + 2; z++)
            {
                for (var y = y0; y < y0 + 3; y++)
                {
                    for (var x = x0; x < x0 + 4; x++) m[s.Index(x, y, z)] = (byte)c;
                }
            }
        }

        return m;
    }
}

using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Postprocessing;

/// <summary>
/// 26-connected components of equal non-zero values (<c>scipy.ndimage.label</c> with a 3×3×3 structure of ones, run
/// per value), for the clean-up steps. Volumes are x fastest (our layout); ids are written into a caller's int array.
/// </summary>
internal static class ComponentLabeller
{
    /// <summary>
    /// Marks with <paramref name="id"/> the component holding <paramref name="seed"/> (voxels 26-connected to it with the
    /// same value, not yet marked) and returns its size and its first key in (x, y, z) order with x slowest, the order in
    /// which scipy numbers components of an array indexed [x, y, z].
    /// </summary>
    public static (long Size, long FirstKey) Flood(ReadOnlySpan<byte> values, int[] component, Stack<int> stack, int seed, int id, Shape3 shape)
    {
        int nx = shape.X, ny = shape.Y, nz = shape.Z;
        var value = values[seed];
        long size = 0;
        var firstKey = long.MaxValue;
        var plane = nx * ny;
        Span<int> neighbours = stackalloc int[26];
        component[seed] = id;
        stack.Push(seed);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            size++;
            int z = v / plane, rest = v - (z * plane), y = rest / nx, x = rest - (y * nx);
            var key = ((((long)x * ny) + y) * nz) + z;
            if (key < firstKey) firstKey = key;
            var count = Neighbourhood26.Fill(v, shape, neighbours);
            for (var k = 0; k < count; k++)
            {
                var n = neighbours[k];
                if (component[n] != 0 || values[n] != value) continue;
                component[n] = id;
                stack.Push(n);
            }
        }

        return (size, firstKey);
    }

    /// <summary>Labels every component of <paramref name="values"/>; returns their sizes by id (index 0 unused).</summary>
    public static List<long> LabelAll(ReadOnlySpan<byte> values, int[] component, Shape3 shape)
    {
        Array.Clear(component);
        var sizes = new List<long> { 0 };
        var stack = new Stack<int>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] == 0 || component[i] != 0) continue;
            sizes.Add(Flood(values, component, stack, i, sizes.Count, shape).Size);
        }

        return sizes;
    }
}

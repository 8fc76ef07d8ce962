using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Postprocessing;

/// <summary>
/// Keeps, for every label, only its largest 3-D connected component and sets the rest of that label to background,
/// as nnU-Net's "remove all but the largest component" post-processing does.
/// <para>
/// <b>Connectivity: 26</b> (faces, edges and corners; <c>scipy.ndimage.label</c> with a 3×3×3 structure of ones, and
/// nnU-Net's choice: skimage's full connectivity). A vertebral body cut by thick sagittal slices (4.4 mm in MRSpineSeg)
/// often touches its neighbouring slice only along an edge or a corner; 6-connectivity would split such a body and
/// delete its smaller half, while a stray blob that merely touches the body diagonally costs almost nothing to keep.
/// </para>
/// <para>
/// <b>Ties:</b> of two components of equal size, the one whose first voxel comes first in (x, y, z) order, x
/// slowest, is kept: the component <c>scipy.ndimage.label</c> numbers first on an array indexed [x, y, z].
/// </para>
/// The mask is x fastest (our volume layout). Time and memory are linear: one int per voxel and one flood stack.
/// </summary>
public static class LargestComponentFilter
{
    /// <summary>How many labels one mask can hold (masks are uint8).</summary>
    private const int LabelCount = 256;

    /// <summary>
    /// Filters <paramref name="labels"/> (x fastest, <paramref name="shape"/>) in place and returns how many voxels
    /// were set to background.
    /// </summary>
    public static long Apply(Span<byte> labels, Shape3 shape)
    {
        if (labels.Length != shape.Count)
            throw new ArgumentException($"The mask holds {labels.Length} voxels but shape {shape} needs {shape.Count}.", nameof(labels));
        int nx = shape.X, ny = shape.Y, nz = shape.Z;
        var component = new int[labels.Length]; // 0 = background or not yet visited; else component id (1-based)
        var sizes = new List<long> { 0 };
        var firstKeys = new List<long> { 0 };
        var stack = new Stack<int>();
        var best = new int[LabelCount];

        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label == 0 || component[i] != 0) continue;
            var id = sizes.Count;
            var (size, firstKey) = Flood(labels, component, stack, i, id, nx, ny, nz);
            sizes.Add(size);
            firstKeys.Add(firstKey);
            var current = best[label];
            if (current == 0 || size > sizes[current] || (size == sizes[current] && firstKey < firstKeys[current]))
                best[label] = id;
        }

        long removed = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label != 0 && component[i] != best[label])
            {
                labels[i] = 0;
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Marks the component holding <paramref name="seed"/>; returns its size and its first (x, y, z)-ordered key.</summary>
    private static (long Size, long FirstKey) Flood(Span<byte> labels, int[] component, Stack<int> stack, int seed, int id, int nx, int ny, int nz)
    {
        var label = labels[seed];
        long size = 0;
        var firstKey = long.MaxValue;
        var plane = nx * ny;
        component[seed] = id;
        stack.Push(seed);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            size++;
            int z = v / plane, rest = v - (z * plane), y = rest / nx, x = rest - (y * nx);
            var key = ((((long)x * ny) + y) * nz) + z;
            if (key < firstKey) firstKey = key;
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
                        if ((uint)xx >= (uint)nx) continue;
                        var n = row + xx;
                        if (component[n] != 0 || labels[n] != label) continue;
                        component[n] = id;
                        stack.Push(n);
                    }
                }
            }
        }

        return (size, firstKey);
    }
}

using MRISpineSeg.Imaging.Geometry;

namespace MRISpineSeg.Segmentation.Stats;

/// <summary>Counts label voxels and turns them into volumes.</summary>
public static class StructureCounter
{
    /// <summary>Voxels per label value (index = label, 256 entries).</summary>
    public static long[] Histogram(ReadOnlySpan<byte> labels)
    {
        // Four interleaved tables break the store-to-load dependency on runs of one label.
        Span<int> a = stackalloc int[256];
        Span<int> b = stackalloc int[256];
        Span<int> c = stackalloc int[256];
        Span<int> d = stackalloc int[256];
        var result = new long[256];
        var i = 0;
        while (i < labels.Length)
        {
            // Flush before an int could overflow.
            var end = Math.Min(labels.Length, i + (1 << 29));
            for (; i + 4 <= end; i += 4)
            {
                a[labels[i]]++;
                b[labels[i + 1]]++;
                c[labels[i + 2]]++;
                d[labels[i + 3]]++;
            }

            for (; i < end; i++) a[labels[i]]++;
            for (var k = 0; k < 256; k++)
            {
                result[k] += (long)a[k] + b[k] + c[k] + d[k];
                a[k] = b[k] = c[k] = d[k] = 0;
            }
        }

        return result;
    }

    /// <summary>Volume of one voxel in mm³: |det| of the affine's 3×3 part (RAS, mm).</summary>
    public static double VoxelVolumeMm3(Affine affine)
    {
        ArgumentNullException.ThrowIfNull(affine);
        return Math.Abs(affine.Determinant3);
    }

    /// <summary>
    /// The structures present (count &gt; 0), background excluded, in label order. Names come from
    /// <paramref name="classNames"/>; a label past its end is named <c>label N</c>.
    /// </summary>
    public static IReadOnlyList<StructureStats> Structures(long[] histogram, double voxelVolumeMm3, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        ArgumentNullException.ThrowIfNull(classNames);
        var list = new List<StructureStats>();
        for (var label = 1; label < histogram.Length; label++)
        {
            if (histogram[label] == 0) continue;
            var name = label < classNames.Count ? classNames[label] : $"label {label}";
            list.Add(new StructureStats(label, name, histogram[label], histogram[label] * voxelVolumeMm3));
        }

        return list;
    }
}

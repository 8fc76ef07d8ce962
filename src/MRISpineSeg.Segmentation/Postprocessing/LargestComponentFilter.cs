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
            var (size, firstKey) = ComponentLabeller.Flood(labels, component, stack, i, id, shape);
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
}

using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Postprocessing;

/// <summary>
/// Names vertebral bodies by their order along the spine instead of voxel by voxel. A network that labels each voxel
/// on its own can find every body and still slip a level at the ends of the field of view: call L4 "L5", split one
/// body between two names, or name a T10 it never saw "T11". Bodies are stacked, so their names follow from their
/// order: this step finds the bodies, sorts them from the bottom up and gives them consecutive labels, anchored where
/// the sequence agrees best with the network's own labels.
/// <list type="number">
/// <item>The foreground (every label in [<c>lowest</c>, <c>highest</c>]) is eroded k = 0…<see cref="MaxErosions"/> times
/// with the 6-neighbour cross (<c>scipy.ndimage.binary_erosion</c>'s default; outside the volume counts as background),
/// and its 26-connected components are counted, those of at least <see cref="BodyFraction"/> of the largest being
/// bodies. The k with the most bodies (the smallest such k) is used: erosion opens the thin bridges by which two
/// bodies touch across a disc, and the size floor ignores the crumbs it leaves.</item>
/// <item>The bodies are sorted by the mean of their voxels' superior coordinate (the model orientation's S axis).</item>
/// <item>Body i from the bottom gets label <c>lowest + i + offset</c>; the offset is the one under which most of the
/// bodies' voxels keep the network's label (ties: the lowest offset). A body whose label falls outside
/// [<c>lowest</c>, <c>highest</c>] (a level above or below what the model names) becomes background.</item>
/// <item>Every foreground voxel takes the label of its nearest body, by breadth-first growth from the eroded bodies
/// over 26-neighbours (chessboard distance, as <c>scipy.ndimage.distance_transform_cdt(metric='chessboard')</c>).</item>
/// </list>
/// For models whose classes are consecutive vertebrae from the bottom up (the MRSpineSeg table's 1 = S, 2 = L5 … 10 =
/// T9) and no discs; the manifest's <c>order_levels</c> turns it on (docs/design.md §4). Masks are x fastest.
/// Memory: two ints and two bytes per voxel.
/// </summary>
public static class LevelOrdering
{
    /// <summary>The most erosions tried (in voxels; 6 is 18 mm at a 3 mm grid, more than a disc is high).</summary>
    public const int MaxErosions = 6;

    /// <summary>A component is a body when it holds at least this fraction of the largest component's voxels.</summary>
    public const double BodyFraction = 0.25;

    private const byte Dropped = 255;

    /// <summary>
    /// Renames the bodies in <paramref name="labels"/> (x fastest, <paramref name="shape"/>) in place.
    /// <paramref name="superiorAxis"/> is the axis (0 = x, 1 = y, 2 = z) that runs towards the head when
    /// <paramref name="superiorIncreasing"/>, towards the feet otherwise.
    /// </summary>
    public static LevelOrderOutcome Apply(Span<byte> labels, Shape3 shape, int superiorAxis, bool superiorIncreasing, byte lowest, byte highest)
    {
        if (labels.Length != shape.Count)
            throw new ArgumentException($"The mask holds {labels.Length} voxels but shape {shape} needs {shape.Count}.", nameof(labels));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(superiorAxis, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(superiorAxis);
        if (lowest == 0 || highest < lowest || highest == Dropped)
            throw new ArgumentException($"The level labels must be a range within 1..254; got {lowest}..{highest}.", nameof(highest));

        var foreground = new byte[labels.Length];
        long foregroundCount = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= lowest && labels[i] <= highest)
            {
                foreground[i] = 1;
                foregroundCount++;
            }
        }

        if (foregroundCount == 0) return new LevelOrderOutcome(0, 0, 0, 0);

        var component = new int[labels.Length];
        var (erosions, bodies) = BestErosion(foreground, component, shape);

        // The chosen erosion again, labelled, for the bodies' positions and votes.
        var eroded = (byte[])foreground.Clone();
        var scratch = new byte[labels.Length];
        for (var k = 0; k < erosions; k++) Erode(ref eroded, ref scratch, shape);
        var sizes = ComponentLabeller.LabelAll(eroded, component, shape);
        var order = SortBottomUp(component, sizes, bodies, shape, superiorAxis, superiorIncreasing);
        var offset = BestOffset(labels, component, order, lowest, highest);

        // Seeds: each body's eroded voxels with its new label.
        var bodyLabel = new byte[sizes.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var label = lowest + i + offset;
            bodyLabel[order[i]] = label >= lowest && label <= highest ? (byte)label : Dropped;
        }

        var grown = scratch;
        Array.Clear(grown);
        var queue = new Queue<int>();
        for (var i = 0; i < component.Length; i++)
        {
            if (component[i] != 0 && bodyLabel[component[i]] != 0)
            {
                grown[i] = bodyLabel[component[i]];
                queue.Enqueue(i);
            }
        }

        Grow(grown, queue, foreground, foregroundCount, shape);

        long changed = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (foreground[i] == 0) continue;
            var label = grown[i] == Dropped ? (byte)0 : grown[i];
            if (label != labels[i])
            {
                labels[i] = label;
                changed++;
            }
        }

        return new LevelOrderOutcome(order.Length, erosions, offset, changed);
    }

    /// <summary>The erosion count giving the most bodies, and which component ids are bodies at that count.</summary>
    private static (int Erosions, HashSet<int> Bodies) BestErosion(byte[] foreground, int[] component, Shape3 shape)
    {
        var eroded = (byte[])foreground.Clone();
        var scratch = new byte[foreground.Length];
        (int Erosions, HashSet<int> Bodies) best = (0, []);
        for (var k = 0; k <= MaxErosions; k++)
        {
            if (k > 0) Erode(ref eroded, ref scratch, shape);
            var sizes = ComponentLabeller.LabelAll(eroded, component, shape);
            var largest = 0L;
            for (var id = 1; id < sizes.Count; id++) largest = Math.Max(largest, sizes[id]);
            if (largest == 0) break;
            var bodies = new HashSet<int>();
            for (var id = 1; id < sizes.Count; id++)
            {
                if (sizes[id] >= BodyFraction * largest) bodies.Add(id);
            }

            if (bodies.Count > best.Bodies.Count) best = (k, bodies);
        }

        return best;
    }

    /// <summary>One binary erosion with the 6-neighbour cross; voxels outside the volume count as background.</summary>
    private static void Erode(ref byte[] mask, ref byte[] scratch, Shape3 shape)
    {
        int nx = shape.X, ny = shape.Y, nz = shape.Z, plane = nx * ny;
        var src = mask;
        var dst = scratch;
        for (var z = 0; z < nz; z++)
        {
            for (var y = 0; y < ny; y++)
            {
                var row = (z * plane) + (y * nx);
                for (var x = 0; x < nx; x++)
                {
                    var i = row + x;
                    dst[i] = (byte)(src[i] != 0
                        && x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && z > 0 && z < nz - 1
                        && src[i - 1] != 0 && src[i + 1] != 0 && src[i - nx] != 0 && src[i + nx] != 0
                        && src[i - plane] != 0 && src[i + plane] != 0 ? 1 : 0);
                }
            }
        }

        (mask, scratch) = (dst, src);
    }

    /// <summary>Body ids sorted by the mean superior coordinate of their voxels, lowest first (ties: lower id).</summary>
    private static int[] SortBottomUp(int[] component, List<long> sizes, HashSet<int> bodies, Shape3 shape, int axis, bool increasing)
    {
        var sum = new double[sizes.Count];
        int nx = shape.X, plane = shape.X * shape.Y;
        for (var i = 0; i < component.Length; i++)
        {
            var id = component[i];
            if (id == 0 || !bodies.Contains(id)) continue;
            var coordinate = axis switch
            {
                0 => i % nx,
                1 => i % plane / nx,
                _ => i / plane,
            };
            sum[id] += coordinate;
        }

        var sign = increasing ? 1 : -1;
        var ids = bodies.OrderBy(id => sign * sum[id] / sizes[id]).ThenBy(id => id).ToArray();
        return ids;
    }

    /// <summary>The offset under which most body voxels keep the network's label (ties: the lowest offset).</summary>
    private static int BestOffset(ReadOnlySpan<byte> labels, int[] component, int[] order, byte lowest, byte highest)
    {
        var rank = new Dictionary<int, int>(order.Length);
        for (var i = 0; i < order.Length; i++) rank[order[i]] = i;
        var votes = new long[order.Length, 256];
        for (var v = 0; v < labels.Length; v++)
        {
            if (component[v] != 0 && rank.TryGetValue(component[v], out var r)) votes[r, labels[v]]++;
        }

        int bestOffset = 0;
        var bestScore = long.MinValue;
        for (var offset = -order.Length; offset <= highest - lowest; offset++)
        {
            long score = 0;
            for (var i = 0; i < order.Length; i++)
            {
                var label = lowest + i + offset;
                if (label >= lowest && label <= highest) score += votes[i, label];
            }

            if (score > bestScore)
            {
                (bestScore, bestOffset) = (score, offset);
            }
        }

        return bestOffset;
    }

    /// <summary>Breadth-first growth of the seeded labels over 26-neighbours until every foreground voxel has one.</summary>
    private static void Grow(byte[] grown, Queue<int> queue, byte[] foreground, long foregroundCount, Shape3 shape)
    {
        long remaining = foregroundCount;
        foreach (var seed in queue)
        {
            if (foreground[seed] != 0) remaining--;
        }

        Span<int> neighbours = stackalloc int[26];
        while (queue.Count > 0 && remaining > 0)
        {
            var v = queue.Dequeue();
            var count = Neighbourhood26.Fill(v, shape, neighbours);
            for (var k = 0; k < count; k++)
            {
                var n = neighbours[k];
                if (grown[n] != 0) continue;
                grown[n] = grown[v];
                if (foreground[n] != 0) remaining--;
                queue.Enqueue(n);
            }
        }
    }
}

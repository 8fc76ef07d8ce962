using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Geometry;

/// <summary>
/// A permutation and flips of the voxel axes, nothing else (no interpolation), that bring a grid stored in one
/// orientation to other axis codes: nibabel's <c>ornt_transform(io_orientation(affine), axcodes2ornt(target))</c> applied
/// with <c>apply_orientation</c> (docs/design.md §3). Output axis k reads input axis <see cref="SourceAxis"/>(k), reversed
/// when <see cref="IsFlipped"/>(k). <see cref="Inverse"/> undoes it exactly, so labels computed on the reoriented grid
/// go back voxel for voxel onto the scan's own grid.
/// </summary>
public sealed class AxisReorientation
{
    private readonly int[] _source;
    private readonly bool[] _flip;

    private AxisReorientation(string from, string to, int[] source, bool[] flip)
    {
        From = from;
        To = to;
        _source = source;
        _flip = flip;
    }

    /// <summary>Axis codes of the grid this transform reads (the scan's, e.g. <c>RAS</c>).</summary>
    public string From { get; }

    /// <summary>Axis codes of the grid it produces (the model's, e.g. <c>PSR</c>).</summary>
    public string To { get; }

    public bool IsIdentity => _source[0] == 0 && _source[1] == 1 && _source[2] == 2 && !_flip[0] && !_flip[1] && !_flip[2];

    /// <summary>The input axis that output axis <paramref name="axis"/> reads.</summary>
    public int SourceAxis(int axis) => _source[axis];

    /// <summary>True when output axis <paramref name="axis"/> runs opposite to its input axis.</summary>
    public bool IsFlipped(int axis) => _flip[axis];

    /// <summary>The transform from one set of axis codes to another.</summary>
    public static AxisReorientation Between(AxisOrientation from, AxisOrientation to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var source = new int[3];
        var flip = new bool[3];
        for (var k = 0; k < 3; k++)
        {
            var j = from.AxisAlong(to.WorldAxis(k));
            source[k] = j;
            flip[k] = from.IsPositive(j) != to.IsPositive(k);
        }

        return new AxisReorientation(from.Code, to.Code, source, flip);
    }

    /// <summary>The transform back: applied to this one's output it gives the input again, voxel for voxel.</summary>
    public AxisReorientation Inverse()
    {
        var source = new int[3];
        var flip = new bool[3];
        for (var k = 0; k < 3; k++)
        {
            source[_source[k]] = k;
            flip[_source[k]] = _flip[k];
        }

        return new AxisReorientation(To, From, source, flip);
    }

    /// <summary>The grid shape after the transform.</summary>
    public Shape3 Apply(Shape3 input)
    {
        Span<int> n = [input.X, input.Y, input.Z];
        return new Shape3(n[_source[0]], n[_source[1]], n[_source[2]]);
    }

    /// <summary>
    /// The voxel-to-world affine of the output grid, so that every voxel keeps its world position (nibabel's
    /// <c>affine @ inv_ornt_aff(ornt, shape)</c>).
    /// </summary>
    public Affine Apply(Affine affine, Shape3 input)
    {
        ArgumentNullException.ThrowIfNull(affine);
        Span<int> n = [input.X, input.Y, input.Z];
        // T maps an output index to the input index: column k is ±e(source k); the offset puts flipped axes at n-1.
        Span<double> t = stackalloc double[9];
        Span<double> offset = stackalloc double[3];
        for (var k = 0; k < 3; k++)
        {
            t[(_source[k] * 3) + k] = _flip[k] ? -1 : 1;
            if (_flip[k]) offset[_source[k]] = n[_source[k]] - 1;
        }

        var transform = Affine.FromLinear(t, offset);
        return affine.Multiply(transform);
    }

    /// <summary>The voxels of an x-fastest buffer on <paramref name="input"/>, rearranged onto the output grid (x fastest).</summary>
    public T[] Apply<T>(T[] voxels, Shape3 input)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(voxels);
        if (voxels.Length != input.Count) throw new ArgumentException($"Buffer holds {voxels.Length} voxels but shape {input} needs {input.Count}.", nameof(voxels));
        if (IsIdentity) return (T[])voxels.Clone();
        var output = GC.AllocateUninitializedArray<T>(voxels.Length);
        var (start, step, outShape) = Walk(input);
        Parallel.For(0, outShape.Z, o2 =>
        {
            var plane = start + (o2 * step[2]);
            var dst = output.AsSpan(o2 * outShape.X * outShape.Y, outShape.X * outShape.Y);
            for (var o1 = 0; o1 < outShape.Y; o1++)
            {
                var src = plane + (o1 * step[1]);
                var row = dst.Slice(o1 * outShape.X, outShape.X);
                for (var o0 = 0; o0 < row.Length; o0++) row[o0] = voxels[src + (o0 * step[0])];
            }
        });
        return output;
    }

    /// <summary>Output plane <paramref name="index"/> of output axis 2 (x fastest over output axes 0, 1), without building the rest.</summary>
    public T[] ExtractPlane<T>(ReadOnlySpan<T> voxels, Shape3 input, int index)
        where T : unmanaged
    {
        if (voxels.Length != input.Count) throw new ArgumentException($"Buffer holds {voxels.Length} voxels but shape {input} needs {input.Count}.", nameof(voxels));
        var (start, step, outShape) = Walk(input);
        if ((uint)index >= (uint)outShape.Z) throw new ArgumentOutOfRangeException(nameof(index), index, $"Plane must be in 0..{outShape.Z - 1}.");
        var plane = new T[outShape.X * outShape.Y];
        var origin = start + (index * step[2]);
        for (var o1 = 0; o1 < outShape.Y; o1++)
        {
            for (var o0 = 0; o0 < outShape.X; o0++) plane[(o1 * outShape.X) + o0] = voxels[checked((int)(origin + (o1 * step[1]) + (o0 * step[0])))];
        }

        return plane;
    }

    /// <summary>How the transform reads its input, for stats and status: e.g. <c>RAS→PSR: axes (1, 2, 0), flip 0</c>.</summary>
    public string Describe()
    {
        if (IsIdentity) return $"{From}→{To}: none";
        var flips = Enumerable.Range(0, 3).Where(k => _flip[k]).ToArray();
        var flipText = flips.Length == 0 ? "no flip" : "flip " + string.Join(", ", flips);
        return $"{From}→{To}: axes ({_source[0]}, {_source[1]}, {_source[2]}), {flipText}";
    }

    /// <summary>The input offset of output voxel (0,0,0) and the input step per output axis.</summary>
    private (long Start, long[] Step, Shape3 Output) Walk(Shape3 input)
    {
        Span<int> n = [input.X, input.Y, input.Z];
        Span<long> stride = [1, input.X, (long)input.X * input.Y];
        long start = 0;
        var step = new long[3];
        for (var k = 0; k < 3; k++)
        {
            var j = _source[k];
            step[k] = _flip[k] ? -stride[j] : stride[j];
            if (_flip[k]) start += (n[j] - 1) * stride[j];
        }

        return (start, step, Apply(input));
    }
}

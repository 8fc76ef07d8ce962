namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// One x-slab of the full-resolution tail (the last up block and the output block), shared by the fp32 and int8 graphs.
/// The slab makes output rows [<see cref="Start"/>, <see cref="End"/>) of x. Each 5-wide convolution with padding 2
/// consumes 2 rows on each side, so the slab starts from the concatenation's rows [<see cref="InputStart"/>,
/// <see cref="InputEnd"/>): h = 2·(LUConvs + 1) more on each side, rounded up to the x stride, and pads with zeros only
/// where it meets the volume's edge — exactly what the whole-volume convolution sees.
/// </summary>
internal readonly record struct TailSlab(int Start, int End, int InputStart, int InputEnd)
{
    /// <summary>Whether the slab's input is the whole x extent (then no slicing is needed).</summary>
    public bool IsWhole(int x) => InputStart == 0 && InputEnd == x;

    /// <summary>
    /// <paramref name="slabs"/> slabs over <paramref name="x"/> rows (at most x / stride), or one when the transposed
    /// convolution overlaps along x (kernel ≠ stride), since a slab of its output would not come from a slab of its input.
    /// </summary>
    public static TailSlab[] Plan(int x, UpBlock tail, int slabs)
    {
        var s = tail.Stride[0];
        var halo = 2 * (tail.ConvCount + 1);
        halo = (halo + s - 1) / s * s;
        var n = tail.Kernel[0] == s ? Math.Clamp(slabs, 1, x / s) : 1;
        var plan = new TailSlab[n];
        for (var i = 0; i < n; i++)
        {
            var a = (int)((long)x * i / n / s * s);
            var b = i == n - 1 ? x : (int)((long)x * (i + 1) / n / s * s);
            plan[i] = new TailSlab(a, b, Math.Max(0, a - halo), Math.Min(x, b + halo));
        }

        return plan;
    }

    /// <summary>A 5-wide convolution's x padding over rows [lo, hi): 2 where they meet the volume's edge, none inside.</summary>
    public static (int Begin, int End) EdgePad(int lo, int hi, int x) => (lo == 0 ? 2 : 0, hi == x ? 2 : 0);

    /// <summary>The rows a 5-wide convolution with <see cref="EdgePad"/> leaves of [lo, hi).</summary>
    public static (int Lo, int Hi) Shrink(int lo, int hi, int x) => (lo == 0 ? 0 : lo + 2, hi == x ? x : hi - 2);
}

namespace MRISpineSeg.Segmentation.Preprocessing;

/// <summary>
/// One axis of <c>scipy.ndimage.zoom(..., order=1, mode='nearest', grid_mode=False)</c>: output index k reads input
/// coordinate <c>c = k · (n_in − 1)/(n_out − 1)</c> (zoom 1 for a single output sample), clamped to [0, n_in − 1], and
/// blends <c>floor(c)</c> with the next index (edge-replicated) by weight <c>c − floor(c)</c>. The same table as the
/// imaging library's x-fastest kernel, so both kernels give bit-identical values.
/// </summary>
internal readonly struct ZoomTable
{
    private ZoomTable(int[] lo, int[] hi, double[] weight)
    {
        Lo = lo;
        Hi = hi;
        Weight = weight;
    }

    /// <summary>Lower input index.</summary>
    public int[] Lo { get; }

    /// <summary>Upper input index (equals <see cref="Lo"/> at the last input sample).</summary>
    public int[] Hi { get; }

    /// <summary>Weight of <see cref="Hi"/>; <see cref="Lo"/> gets 1 − weight.</summary>
    public double[] Weight { get; }

    public static ZoomTable Create(int nIn, int nOut)
    {
        var zoom = nOut > 1 ? (nIn - 1) / (double)(nOut - 1) : 1.0;
        var lo = new int[nOut];
        var hi = new int[nOut];
        var w = new double[nOut];
        for (var k = 0; k < nOut; k++)
        {
            var c = k * zoom;
            if (c < 0) c = 0;
            else if (c > nIn - 1) c = nIn - 1;
            var f = Math.Floor(c);
            lo[k] = (int)f;
            hi[k] = Math.Min((int)f + 1, nIn - 1);
            w[k] = c - f;
        }

        return new ZoomTable(lo, hi, w);
    }
}

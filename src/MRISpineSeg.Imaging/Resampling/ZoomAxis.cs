namespace MRISpineSeg.Imaging.Resampling;

/// <summary>
/// Per-axis sampling table of <c>scipy.ndimage.zoom(..., mode='nearest', grid_mode=False)</c>: output index k reads
/// input coordinate <c>c = k · (n_in − 1)/(n_out − 1)</c> (zoom 1 when n_out is 1), clamped to [0, n_in − 1].
/// Order 1 blends <c>floor(c)</c> and the next index (edge-replicated) with weight <c>c − floor(c)</c>;
/// order 0 takes <c>floor(c + 0.5)</c>, scipy's rounding (halves go up).
/// </summary>
public readonly struct ZoomAxis
{
    private ZoomAxis(int[] lo, int[] hi, double[] weight, int[] nearest)
    {
        Lo = lo;
        Hi = hi;
        Weight = weight;
        Nearest = nearest;
    }

    /// <summary>Lower input index for order 1.</summary>
    public int[] Lo { get; }

    /// <summary>Upper input index for order 1 (equals <see cref="Lo"/> at the last input sample).</summary>
    public int[] Hi { get; }

    /// <summary>Weight of <see cref="Hi"/>; <see cref="Lo"/> gets 1 − weight.</summary>
    public double[] Weight { get; }

    /// <summary>Input index for order 0.</summary>
    public int[] Nearest { get; }

    /// <summary>The factor scipy uses: (n_in − 1)/(n_out − 1), or 1 for a single output sample.</summary>
    public static double Factor(int nIn, int nOut) => nOut > 1 ? (nIn - 1) / (double)(nOut - 1) : 1.0;

    public static ZoomAxis Create(int nIn, int nOut)
    {
        var zoom = Factor(nIn, nOut);
        var lo = new int[nOut];
        var hi = new int[nOut];
        var w = new double[nOut];
        var nearest = new int[nOut];
        for (var k = 0; k < nOut; k++)
        {
            var c = k * zoom;
            if (c < 0) c = 0;
            else if (c > nIn - 1) c = nIn - 1;
            var f = Math.Floor(c);
            lo[k] = (int)f;
            hi[k] = Math.Min((int)f + 1, nIn - 1);
            w[k] = c - f;
            nearest[k] = Math.Min((int)Math.Floor(c + 0.5), nIn - 1);
        }

        return new ZoomAxis(lo, hi, w, nearest);
    }
}

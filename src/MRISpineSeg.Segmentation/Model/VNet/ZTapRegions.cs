namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// Output slices of a convolution along z (the folded batch axis), grouped into runs that see the same z taps.
/// Output slice zo takes tap dz from input slice zo·sz + dz − pz; a tap whose input slice lies outside [0, zIn) only
/// meets zero padding and contributes nothing, so it is left out of that run instead of being multiplied by zeros.
/// At 512×512×12 with 5-deep kernels and padding 2 that is about 16% of the network's multiply-adds.
/// </summary>
internal static class ZTapRegions
{
    /// <summary>
    /// The runs of output slices [Start, End) with their taps, in z order; every slice in a run has the same taps, and
    /// tap dz reads input slices <see cref="ZTapRegion.InputStart"/> .. step sz.
    /// </summary>
    public static ZTapRegion[] Of(int zIn, int zOut, int kz, int sz, int pz)
    {
        var regions = new List<ZTapRegion>();
        int[]? current = null;
        var start = 0;
        for (var zo = 0; zo <= zOut; zo++)
        {
            var taps = zo < zOut ? TapsOf(zo, zIn, kz, sz, pz) : null;
            if (current is not null && (taps is null || !taps.AsSpan().SequenceEqual(current)))
            {
                regions.Add(new ZTapRegion(start, zo, current, sz, pz));
                current = null;
            }

            if (current is null && taps is not null)
            {
                current = taps;
                start = zo;
            }
        }

        return [.. regions];
    }

    private static int[] TapsOf(int zo, int zIn, int kz, int sz, int pz)
    {
        var taps = new List<int>(kz);
        for (var dz = 0; dz < kz; dz++)
        {
            var zi = (zo * sz) + dz - pz;
            if (zi >= 0 && zi < zIn) taps.Add(dz);
        }

        if (taps.Count == 0) throw new NotSupportedException($"output slice {zo} of a z convolution (kernel {kz}, stride {sz}, pad {pz}) sees only padding");
        return [.. taps];
    }
}

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>Output slices [Start, End) of a z convolution that all see the z taps <see cref="Taps"/> (see <see cref="ZTapRegions"/>).</summary>
internal sealed record ZTapRegion(int Start, int End, int[] Taps, int Stride, int Pad)
{
    public int Count => End - Start;

    /// <summary>The first input slice tap <paramref name="dz"/> reads for this run; it then reads every <see cref="Stride"/>-th, <see cref="Count"/> in all.</summary>
    public int InputStart(int dz) => (Start * Stride) + dz - Pad;

    /// <summary>One past the last input slice tap <paramref name="dz"/> reads.</summary>
    public int InputEnd(int dz) => ((End - 1) * Stride) + dz - Pad + 1;
}

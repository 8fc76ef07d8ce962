namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// A PaddleSeg <c>DownTransition</c>: conv(kernel, stride, no padding, in→2·in) → BN → act gives <c>down</c>;
/// then <see cref="ConvCount"/> LUConvs (conv 5³ p2 → BN → act); output = act2(ops + down).
/// </summary>
public sealed record DownBlock(string Name, int InChannels, int ConvCount, int[] Kernel, int[] Stride)
{
    public int OutChannels => 2 * InChannels;
}

/// <summary>
/// A PaddleSeg <c>UpTransition</c>: ConvTranspose(kernel, stride, in→out/2) → BN → act; concat with the skip
/// (upsampled first); <see cref="ConvCount"/> LUConvs on <see cref="OutChannels"/>; output = act2(ops + concat).
/// </summary>
public sealed record UpBlock(string Name, int InChannels, int OutChannels, int ConvCount, int[] Kernel, int[] Stride)
{
    public int UpChannels => OutChannels / 2;
}

using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>
/// A convolution's weights with its BatchNormalization folded in (<see cref="BatchNormFold"/>), quantized per output channel to signed 7-bit integers
/// (−64..63, zero point 0) with scale max|w|/63.
/// Why 7 bits: on AVX2 CPUs without VNNI, MLAS's u8×s8 kernels add pairs of u8·s8 products in int16 with saturation
/// (vpmaddubsw); 255·127·2 overflows int16, 255·64·2 = 32640 does not. With 7-bit weights the same file gives the
/// same exact integer sums on AVX2, AVX-512 and VNNI CPUs (ONNX Runtime's quantization tool calls this reduce_range).
/// </summary>
internal sealed class Int8Weights
{
    public const int WeightMax = 63;
    public const int WeightMin = -64;

    private Int8Weights(sbyte[] values, float[] scales, float[] bias, int[] shape)
    {
        Values = values;
        Scales = scales;
        Bias = bias;
        Shape = shape;
    }

    /// <summary>Quantized weights in the tensor's own layout (<see cref="Shape"/>, row-major).</summary>
    public sbyte[] Values { get; }

    /// <summary>One scale per quantization channel.</summary>
    public float[] Scales { get; }

    /// <summary>The fp32 bias after folding, per output channel of the original layer.</summary>
    public float[] Bias { get; }

    public int[] Shape { get; }

    /// <summary>
    /// A convolution <paramref name="conv"/> ([Cout, Cin, kx, ky, kz]) or a transposed one ([Cin, Cout, kx, ky, kz],
    /// <paramref name="transposed"/>) with the BatchNormalization <paramref name="norm"/> folded in, quantized per
    /// <paramref name="channelOf"/>(flat index) channel, <paramref name="channels"/> of them.
    /// </summary>
    public static Int8Weights Fold(WeightSet weights, string conv, string? norm, bool transposed, int channels, Func<int, int> channelOf)
    {
        var w = weights[conv + ".weight"];
        var outChannels = transposed ? w.Shape[1] : w.Shape[0];
        var inner = w.Data.Length / (w.Shape[0] * w.Shape[1]);
        var (scale, bias) = BatchNormFold.Of(weights, conv, norm, outChannels);
        var folded = new float[w.Data.Length];
        for (var i = 0; i < folded.Length; i++)
        {
            var co = transposed ? i / inner % outChannels : i / (inner * w.Shape[1]);
            folded[i] = w.Data[i] * scale[co];
        }

        var max = new float[channels];
        for (var i = 0; i < folded.Length; i++) max[channelOf(i)] = Math.Max(max[channelOf(i)], Math.Abs(folded[i]));
        var scales = new float[channels];
        for (var c = 0; c < channels; c++) scales[c] = max[c] > 0 ? max[c] / WeightMax : 1f;
        var q = new sbyte[folded.Length];
        for (var i = 0; i < q.Length; i++)
            q[i] = (sbyte)Math.Clamp((int)MathF.Round(folded[i] / scales[channelOf(i)], MidpointRounding.ToEven), WeightMin, WeightMax);
        return new Int8Weights(q, scales, bias, w.Shape);
    }
}

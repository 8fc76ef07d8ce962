using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// A convolution followed by an inference-mode BatchNormalization as one convolution: per output channel the weights
/// are multiplied by scale = γ/√(σ² + ε) and the bias becomes (b − μ)·scale + β (ε = <see cref="VNetArchitecture.BatchNormEpsilon"/>).
/// </summary>
internal static class BatchNormFold
{
    /// <summary>Per output channel: the multiplier of the weights and the new bias (the plain bias without a norm).</summary>
    public static (float[] Scale, float[] Bias) Of(WeightSet weights, string conv, string? norm, int channels)
    {
        var b = weights[conv + ".bias"].Data;
        var scale = new float[channels];
        var bias = new float[channels];
        if (norm is null)
        {
            Array.Fill(scale, 1f);
            Array.Copy(b, bias, channels);
            return (scale, bias);
        }

        var (gamma, beta, mean, variance) = (weights[norm + ".weight"].Data, weights[norm + ".bias"].Data, weights[norm + "._mean"].Data, weights[norm + "._variance"].Data);
        for (var c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] / MathF.Sqrt(variance[c] + VNetArchitecture.BatchNormEpsilon);
            bias[c] = ((b[c] - mean[c]) * scale[c]) + beta[c];
        }

        return (scale, bias);
    }
}

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MRISpineSeg.Segmentation.Model.VNet;

namespace MRISpineSeg.Segmentation.Model.Weights;

/// <summary>
/// Deterministic weights for tests and benchmarks. The same seed and architecture give the same bytes everywhere.
/// </summary>
public static class RandomWeights
{
    /// <summary>
    /// He-normal convolution weights (std = sqrt(2 / fan_in), fan_in = shape[1]·kx·ky·kz as Paddle computes it for both
    /// Conv3D and Conv3DTranspose), zero biases, BatchNorm as freshly constructed (gamma 1, beta 0, mean 0, variance 1),
    /// PReLU slopes 0.25 (Paddle's default).
    /// With <paramref name="perturbNormalization"/>, biases, BN statistics and slopes are drawn at random too, so that a
    /// test can tell a graph that applies them wrongly from one that applies them right.
    /// </summary>
    public static WeightSet Create(VNetArchitecture architecture, ulong seed, bool perturbNormalization = false)
        => Create(architecture.Parameters(), seed, perturbNormalization);

    /// <summary>
    /// Random weights for any parameter list (e.g. UNet3D's); InstanceNorm scales 1 and shifts 0 as constructed, or
    /// drawn like BatchNorm's with <paramref name="perturbNormalization"/>.
    /// </summary>
    public static WeightSet Create(IReadOnlyList<ParameterSpec> parameters, ulong seed, bool perturbNormalization = false)
    {
        var rng = new SplitMix64(seed);
        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in parameters)
        {
            var data = new float[p.Count];
            Fill(data, p, rng, perturbNormalization);
            tensors.Add(p.Name, new WeightTensor(p.Name, p.Shape, data));
            sha.AppendData(MemoryMarshal.AsBytes(data.AsSpan()));
        }

        return new WeightSet(tensors, Convert.ToHexStringLower(sha.GetHashAndReset()), $"random-seed:{seed}");
    }

    private static void Fill(Span<float> data, ParameterSpec p, SplitMix64 rng, bool perturb)
    {
        switch (p.Kind)
        {
            case ParameterKind.ConvWeight:
            case ParameterKind.ConvTransposeWeight:
                var fanIn = (double)p.Shape[1] * p.Shape[2] * p.Shape[3] * p.Shape[4];
                var std = Math.Sqrt(2.0 / fanIn);
                for (var i = 0; i < data.Length; i++) data[i] = (float)(rng.NextNormal() * std);
                break;
            case ParameterKind.Bias:
            case ParameterKind.BatchNormShift:
            case ParameterKind.InstanceNormShift:
            case ParameterKind.BatchNormMean:
                for (var i = 0; i < data.Length; i++) data[i] = perturb ? (float)(0.1 * rng.NextNormal()) : 0f;
                break;
            case ParameterKind.BatchNormScale:
            case ParameterKind.InstanceNormScale:
            case ParameterKind.BatchNormVariance:
                for (var i = 0; i < data.Length; i++) data[i] = perturb ? (float)(0.5 + rng.NextDouble()) : 1f;
                break;
            case ParameterKind.PReluSlope:
                for (var i = 0; i < data.Length; i++) data[i] = perturb ? (float)(0.5 * rng.NextDouble()) : 0.25f;
                break;
        }
    }
}

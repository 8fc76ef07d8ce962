using MRISpineSeg.Segmentation.Model.Inference;

namespace MRISpineSeg.Segmentation.Tests.Model;

/// <summary>Two model files (two forms of one network) run on the same input with their logits, for tests that compare them.</summary>
internal static class ModelPair
{
    /// <summary>Both outputs and the largest absolute difference between their logits.</summary>
    public static (NetworkOutput A, NetworkOutput B, float MaxAbsLogit) Predict(string a, string b, float[] input, int threads = 1)
    {
        var options = new OnnxNetworkOptions { Logits = true, IntraOpThreads = threads };
        using var na = OnnxSegmentationNetwork.Load(a, options);
        using var nb = OnnxSegmentationNetwork.Load(b, options);
        var outA = na.Predict(input, includeLogits: true);
        var outB = nb.Predict(input, includeLogits: true);
        var maxAbs = 0f;
        for (var i = 0; i < outA.Logits!.Length; i++) maxAbs = Math.Max(maxAbs, Math.Abs(outA.Logits[i] - outB.Logits![i]));
        return (outA, outB, maxAbs);
    }
}

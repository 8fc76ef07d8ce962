namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>Argmax over the class axis of row-major [C, N] logits; the first maximum wins, as numpy and ONNX ArgMax do.</summary>
internal static class LabelArgMax
{
    public static byte[] Compute(ReadOnlySpan<float> logits, int classes)
    {
        var n = logits.Length / classes;
        var labels = new byte[n];
        var best = logits[..n].ToArray();
        for (var c = 1; c < classes; c++)
        {
            var plane = logits.Slice(c * n, n);
            for (var i = 0; i < n; i++)
            {
                if (plane[i] > best[i])
                {
                    best[i] = plane[i];
                    labels[i] = (byte)c;
                }
            }
        }

        return labels;
    }
}

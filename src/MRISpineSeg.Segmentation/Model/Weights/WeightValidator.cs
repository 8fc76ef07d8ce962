using System.Text;
using MRISpineSeg.Segmentation.Model.VNet;

namespace MRISpineSeg.Segmentation.Model.Weights;

/// <summary>Checks a state_dict against an architecture, key by key and shape by shape.</summary>
public static class WeightValidator
{
    /// <summary>
    /// Throws one <see cref="SegmentationException"/> (WeightsMismatch) that lists ALL missing, unexpected and mis-shaped
    /// keys, so a user fixes a conversion script once rather than once per key.
    /// </summary>
    public static void Validate(WeightSet weights, VNetArchitecture architecture)
        => Validate(weights, architecture.Parameters(), $"VNet width {architecture.Width}, {architecture.NumClasses} classes, {architecture.Activation}");

    /// <summary>The same check against any parameter list; <paramref name="network"/> names what the weights should fit (e.g. "UNet3D base 8, 20 classes").</summary>
    public static void Validate(WeightSet weights, IReadOnlyList<ParameterSpec> expected, string network)
    {
        var missing = new List<string>();
        var misShaped = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in expected)
        {
            known.Add(p.Name);
            if (!weights.Tensors.TryGetValue(p.Name, out var t))
                missing.Add(p.Name);
            else if (!t.Shape.AsSpan().SequenceEqual(p.Shape))
                misShaped.Add($"{p.Name} is {ParameterSpec.FormatShape(t.Shape)}, expected {ParameterSpec.FormatShape(p.Shape)}");
            else if (t.Data.Length != p.Count)
                misShaped.Add($"{p.Name} holds {t.Data.Length} values, expected {p.Count}");
        }

        var unexpected = new List<string>();
        foreach (var key in weights.Tensors.Keys)
        {
            if (!known.Contains(key)) unexpected.Add(key);
        }

        if (missing.Count == 0 && misShaped.Count == 0 && unexpected.Count == 0) return;
        unexpected.Sort(StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append($"{weights.Source}: the weights do not fit {network}");
        Append(sb, "missing", missing);
        Append(sb, "unexpected", unexpected);
        Append(sb, "mis-shaped", misShaped);
        throw new SegmentationException(SegmentationErrorReason.WeightsMismatch, sb.ToString());
    }

    private static void Append(StringBuilder sb, string what, List<string> items)
    {
        if (items.Count == 0) return;
        sb.Append($"; {items.Count} {what}: ").Append(string.Join(", ", items));
    }
}

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>What <see cref="ModelQuantizer"/> wrote: the int8 model's manifest, warnings for the user, and the PReLU layers left in fp32.</summary>
public sealed record QuantizeResult(ModelManifest Manifest, IReadOnlyList<string> Warnings, IReadOnlyList<string> DequantizedActivations);

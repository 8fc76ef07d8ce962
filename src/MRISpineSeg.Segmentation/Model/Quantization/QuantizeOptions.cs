namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>How <see cref="ModelQuantizer"/> runs its calibration.</summary>
public sealed class QuantizeOptions
{
    /// <summary>Intra-op threads of the fp32 calibration session (0: every core).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Manifest model id of the int8 model; default the fp32 model's id plus <c>-int8</c>.</summary>
    public string? ModelId { get; init; }

    /// <summary>Receives one line per calibration scan as it finishes.</summary>
    public IProgress<string>? Progress { get; init; }
}

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>How <see cref="ModelQuantizer"/> runs its calibration.</summary>
public sealed class QuantizeOptions
{
    /// <summary>Intra-op threads of the fp32 calibration session (0: every core).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>
    /// The full-resolution tail runs in this many x-slabs (1 = whole), as <c>model build --tail-slabs</c> does for fp32.
    /// The labels are the same for every count; more slabs lower the peak memory.
    /// </summary>
    public int TailSlabs { get; init; } = DefaultTailSlabs;

    /// <summary>
    /// 8: at 512×512×12, width 16, a whole <c>segment</c> process peaked at 553 MiB with 8 slabs and 732 MiB with 4,
    /// in the same CPU time (paired, BENCHMARKS.md). The int8 tail's tensors are a quarter of the fp32 ones', so
    /// thinner slabs cost nothing measurable here.
    /// </summary>
    public const int DefaultTailSlabs = 8;

    /// <summary>Manifest model id of the int8 model; default the fp32 model's id plus <c>-int8</c>.</summary>
    public string? ModelId { get; init; }

    /// <summary>Receives one line per calibration scan as it finishes.</summary>
    public IProgress<string>? Progress { get; init; }
}

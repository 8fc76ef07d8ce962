using Microsoft.Extensions.Logging;

namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>
/// How an <see cref="OnnxSegmentationNetwork"/> configures its ONNX Runtime session. Only our own types: a host sets
/// these without referencing ONNX Runtime, and the network alone translates them.
/// </summary>
public sealed class OnnxNetworkOptions
{
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>CUDA device ordinal when <see cref="Device"/> is CUDA.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>
    /// When the requested device cannot be used: false runs on the CPU with a warning (the CLI's default), true refuses
    /// with <see cref="SegmentationErrorReason.ProviderUnavailable"/> naming what is missing (the worker, and
    /// <c>segment --strict-device</c>), so a GPU job fails visibly instead of running ~100× slower on its CPU.
    /// </summary>
    public bool RequireDevice { get; init; }

    /// <summary>Which graph the session runs; by default the form that suits the provider (<see cref="GraphForm.Auto"/>).</summary>
    public GraphForm GraphForm { get; init; } = GraphForm.Auto;

    /// <summary>
    /// CUDA only: capture the whole run as a CUDA graph and replay it (one launch instead of one per kernel). Needs the
    /// native form (static shapes, every node on the device) and fixed device buffers, which the network binds itself.
    /// When capture fails the network falls back to ordinary launches with a warning.
    /// </summary>
    public bool CudaGraphs { get; init; } = true;

    /// <summary>Threads inside one operator (convolutions); 0 lets ONNX Runtime use every core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// The CPU memory arena keeps freed activation blocks for reuse; at 512×512×12 that kept the peak near 4.2 GB (first graph).
    /// Off by default: blocks go back to the allocator, and the peak drops to the largest live set (about 1.4 GB with
    /// the x-slabbed, per-z-tap graph; BENCHMARKS.md). Exact-size arena growth was 10 % faster but peaked at 1.95 GB.
    /// </summary>
    public bool EnableCpuMemArena { get; init; }

    /// <summary>Memory-pattern planning preallocates one block for all activations; off by default for the same reason.</summary>
    public bool EnableMemoryPattern { get; init; }

    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    /// <summary>
    /// Keep the model's <c>logits</c> output so that <see cref="OnnxSegmentationNetwork.Predict"/> can return them.
    /// Off by default: a model with both outputs is loaded cut down to its labels (LabelsOnlyGraph), because ONNX
    /// Runtime would otherwise compute and hold the float32 logits on every run even though only the labels are fetched.
    /// </summary>
    public bool Logits { get; init; }

    /// <summary>Run independent branches of the graph concurrently (ORT's parallel mode); sequential by default.</summary>
    public bool ParallelExecution { get; init; }

    /// <summary>
    /// Whether idle intra-op threads spin before sleeping (ORT's default). Spinning buys a little latency on dedicated
    /// cores and burns CPU on shared ones; off by default because batch hosts share cores.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>When set, ONNX Runtime writes a per-operator JSON profile with this path prefix when the network is disposed.</summary>
    public string? ProfilePathPrefix { get; init; }

    /// <summary>Optional; receives which execution provider was chosen and why.</summary>
    public ILogger? Logger { get; init; }
}

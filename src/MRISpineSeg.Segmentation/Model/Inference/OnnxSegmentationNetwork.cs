using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MRISpineSeg.Segmentation.Model.Inference.Cuda;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.VNet;

namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>
/// An ONNX segmentation model with a manifest, loaded once into an ONNX Runtime session and reused for every volume.
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so one instance may serve several threads.
/// Input: float32 [1, 1, X, Y, Z] row-major (z fastest) at the manifest's grid. Output: the model's <c>labels</c>
/// (uint8 or int64), or, for a model with only <c>logits</c> [1, C, X, Y, Z], their argmax (first maximum on ties).
/// </summary>
public sealed partial class OnnxSegmentationNetwork : ISegmentationNetwork
{

    private readonly InferenceSession _session;
    private readonly CudaBoundRunner? _bound;
    private readonly string _inputName;
    private readonly string? _labelsName;
    private readonly string? _logitsName;
    private readonly long[] _inputShape;

    private OnnxSegmentationNetwork(Loaded loaded, ModelManifest manifest, string inputName, string? labelsName, string? logitsName, CudaBoundRunner? bound)
    {
        _session = loaded.Session;
        _bound = bound;
        Manifest = manifest;
        ModelPath = loaded.Path;
        ExecutionProvider = loaded.Provider;
        Form = loaded.Form;
        DeviceProblem = loaded.DeviceProblem;
        _inputName = inputName;
        _labelsName = labelsName;
        _logitsName = logitsName;
        _inputShape = [1, 1, manifest.InputGrid.X, manifest.InputGrid.Y, manifest.InputGrid.Z];
    }

    public ModelManifest Manifest { get; }

    public string ModelPath { get; }

    /// <summary><c>CPUExecutionProvider</c> or <c>CUDAExecutionProvider</c>: what the session actually runs on.</summary>
    public string ExecutionProvider { get; }

    /// <summary>The graph the session runs: <c>stored</c>, <c>native-3d fp32</c>, or on CUDA <c>native-3d fp16</c> with or without <c>cuda-graph</c>.</summary>
    public string Form { get; }

    /// <summary>Why CUDA was requested but not used (the session then runs on the CPU); null otherwise.</summary>
    public string? DeviceProblem { get; }

    /// <summary>
    /// Loads a model file. Throws <see cref="SegmentationException"/>: ModelNotFound (no such file), InvalidModel (not a
    /// loadable ONNX model), InvalidManifest (manifest absent or bad), ModelMismatch (graph I/O disagrees with the manifest),
    /// ProviderUnavailable (CUDA requested with <see cref="OnnxNetworkOptions.RequireDevice"/> and unusable).
    /// </summary>
    public static OnnxSegmentationNetwork Load(string modelPath, OnnxNetworkOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options ??= new OnnxNetworkOptions();
        var info = new FileInfo(modelPath);
        if (!info.Exists)
            throw new SegmentationException(SegmentationErrorReason.ModelNotFound, $"{modelPath}: the model file does not exist; build one with 'spineseg model build'");
        if (info.Length == 0)
            throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{modelPath}: the model file is empty; expected an ONNX model");

        string? problem = null;
        if (options.Device == ExecutionDevice.Cuda)
        {
            var onCuda = TryLoadOnCuda(modelPath, options, out problem);
            if (onCuda is not null) return onCuda;
            if (options.RequireDevice)
                throw new SegmentationException(SegmentationErrorReason.ProviderUnavailable, $"{modelPath}: CUDA was required but cannot be used: {problem}");
            options.Logger?.LogWarning("CUDA was requested but cannot be used ({Problem}); running on CPU", problem);
        }

        NativeHeap.MapLargeBlocks();
        using var so = NewSessionOptions(options);
        var session = CreateCpuSession(modelPath, options, so);
        return Finish(new Loaded(session, modelPath, CpuProvider, options.GraphForm == GraphForm.Native3D ? "native-3d fp32" : "stored", problem), options, bindOnCuda: false);
    }

    private static SessionOptions NewSessionOptions(OnnxNetworkOptions options)
    {
        var so = new SessionOptions
        {
            EnableCpuMemArena = options.EnableCpuMemArena,
            EnableMemoryPattern = options.EnableMemoryPattern,
            GraphOptimizationLevel = options.Optimization switch
            {
                GraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            ExecutionMode = options.ParallelExecution ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Math.Max(0, options.IntraOpThreads),
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        so.AddSessionConfigEntry("session.inter_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        if (options.ProfilePathPrefix is { } prefix)
        {
            so.EnableProfiling = true;
            so.ProfileOutputPathPrefix = prefix;
        }

        return so;
    }

    /// <summary>
    /// The CPU session on the native form, on the labels-only cut (<see cref="OnnxNetworkOptions.Logits"/> off), or on
    /// the file as it is. The cut goes through a temporary file that is deleted once ONNX Runtime has read it: a session
    /// made from an in-memory model kept about one more copy of the weights resident (281 against 185 MiB after loading
    /// the int8 width-16 model), and the parse is collected before the first run. When no temporary file can be written
    /// the session runs the file as it is, logits included, with a warning.
    /// </summary>
    private static InferenceSession CreateCpuSession(string modelPath, OnnxNetworkOptions options, SessionOptions so)
    {
        if (options.GraphForm == GraphForm.Native3D) return CreateSession(modelPath, NativeForm(modelPath, NativePrecision.Float32, options), so);
        if (options.Logits) return CreateSession(modelPath, null, so);
        var temp = Path.Combine(Path.GetTempPath(), $"spineseg-{Guid.NewGuid():N}.onnx");
        try
        {
            var cut = false;
            try
            {
                cut = LabelsOnlyGraph.TryWriteCut(modelPath, temp);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                options.Logger?.LogWarning("Cannot write the labels-only graph to {TempPath} ({Problem}); running the model with its logits output", temp, ex.Message);
            }

            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return CreateSession(modelPath, null, so, cut ? temp : null);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a temporary file left behind is harmless; the session has read it
        }
    }

    /// <summary>
    /// A session on the file, on <paramref name="graph"/> (the file's native form) when given, or on
    /// <paramref name="cutPath"/> (its labels-only cut) when given; errors name the user's file either way.
    /// </summary>
    private static InferenceSession CreateSession(string modelPath, byte[]? graph, SessionOptions so, string? cutPath = null)
    {
        try
        {
            return graph is not null ? new InferenceSession(graph, so) : new InferenceSession(cutPath ?? modelPath, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{modelPath}: not a loadable ONNX model: {ex.Message}", ex);
        }
    }

    /// <summary>Checks the session's graph against its manifest; on CUDA with a labels output, binds device buffers. Disposes the session on failure.</summary>
    private static OnnxSegmentationNetwork Finish(Loaded loaded, OnnxNetworkOptions options, bool bindOnCuda)
    {
        CudaBoundRunner? bound = null;
        try
        {
            var manifest = ManifestCodec.FromMetadata(loaded.Session.ModelMetadata.CustomMetadataMap, loaded.Path);
            var (input, labels, logits) = CheckGraph(loaded.Session, manifest, loaded.Path);
            if (bindOnCuda && labels is not null) bound = CudaBoundRunner.Create(loaded.Session, input, labels, manifest.InputGrid, options.CudaDeviceId);
            NativeHeap.Trim();
            options.Logger?.LogInformation(
                "Loaded model {ModelId} from {ModelPath} on {ExecutionProvider}, {Form} graph (grid {Grid}, {IntraOpThreads} intra-op threads, arena {Arena}, memory pattern {Pattern})",
                manifest.ModelId,
                loaded.Path,
                loaded.Provider,
                loaded.Form,
                manifest.InputGrid,
                options.IntraOpThreads,
                options.EnableCpuMemArena,
                options.EnableMemoryPattern);
            return new OnnxSegmentationNetwork(loaded, manifest, input, labels, logits, bound);
        }
        catch
        {
            bound?.Dispose();
            loaded.Session.Dispose();
            throw;
        }
    }

    /// <summary>The native 3-D form's bytes, or InvalidModel when the file cannot have one.</summary>
    private static byte[] NativeForm(string modelPath, NativePrecision precision, OnnxNetworkOptions options)
    {
        if (VNetNativeForm.TryBuild(modelPath, precision, out var onnx, out _, out var why)) return onnx;
        throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{modelPath}: graph form {options.GraphForm} is not available: {why}");
    }

    /// <summary>A session in the making: what it runs on and why.</summary>
    private sealed record Loaded(InferenceSession Session, string Path, string Provider, string Form, string? DeviceProblem);

    public byte[] PredictLabels(ReadOnlyMemory<float> input, CancellationToken cancellationToken = default)
        => Predict(input, includeLogits: false, cancellationToken).Labels;

    /// <summary>Runs one volume; see <see cref="NetworkOutput"/> for the layouts. Cancellation terminates the run.</summary>
    public NetworkOutput Predict(ReadOnlyMemory<float> input, bool includeLogits, CancellationToken cancellationToken = default)
    {
        if (input.Length != Manifest.InputGrid.Count)
        {
            throw new SegmentationException(
                SegmentationErrorReason.InputMismatch,
                $"{ModelPath}: input holds {input.Length} values; model '{Manifest.ModelId}' needs [1,1,{Manifest.InputGrid.X},{Manifest.InputGrid.Y},{Manifest.InputGrid.Z}] = {Manifest.InputGrid.Count}");
        }

        if (includeLogits && _logitsName is null)
            throw new SegmentationException(SegmentationErrorReason.ModelMismatch, $"{ModelPath}: the session has no 'logits' output (the model has none, or it was loaded for labels only: load it with OnnxNetworkOptions.Logits to keep them)");
        cancellationToken.ThrowIfCancellationRequested();

        if (_bound is not null)
        {
            if (includeLogits)
                throw new SegmentationException(SegmentationErrorReason.ModelMismatch, $"{ModelPath}: the {Form} graph on CUDA returns labels only; load it with GraphForm.Stored for logits");
            return new NetworkOutput(RunGuarded(cancellationToken, ro => _bound.Run(input.Span, ro)), null);
        }

        var outputs = new List<string>(2);
        if (_labelsName is not null) outputs.Add(_labelsName);
        if (_logitsName is not null && (includeLogits || _labelsName is null)) outputs.Add(_logitsName);

        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(input), _inputShape);
        using var results = RunGuarded(cancellationToken, ro => _session.Run(ro, [_inputName], [inputValue], outputs));
        {
            // Logits are copied out of ONNX Runtime's buffer only when the caller wants them (C·X·Y·Z floats, ~250 MB at 512²×12).
            var logitsIndex = outputs.IndexOf(_logitsName ?? string.Empty);
            var labels = _labelsName is not null
                ? ReadLabels(results[0])
                : LabelArgMax.Compute(results[logitsIndex].GetTensorDataAsSpan<float>(), Manifest.NumClasses);
            var logits = includeLogits && logitsIndex >= 0 ? results[logitsIndex].GetTensorDataAsSpan<float>().ToArray() : null;
            return new NetworkOutput(labels, logits);
        }
    }

    public void Dispose()
    {
        _bound?.Dispose();
        _session.Dispose();
    }

    /// <summary>One run with cancellation wired to ORT's terminate flag and runtime errors reported as InferenceFailed.</summary>
    private T RunGuarded<T>(CancellationToken cancellationToken, Func<RunOptions, T> run)
    {
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
        try
        {
            return run(runOptions);
        }
        catch (OnnxRuntimeException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Inference was cancelled.", ex, cancellationToken);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or CudaException)
        {
            throw new SegmentationException(SegmentationErrorReason.InferenceFailed, $"{ModelPath}: inference failed: {ex.Message}", ex);
        }
    }

    private static byte[] ReadLabels(OrtValue value)
    {
        var type = value.GetTensorTypeAndShape().ElementDataType;
        if (type == TensorElementType.UInt8) return value.GetTensorDataAsSpan<byte>().ToArray();
        var src = value.GetTensorDataAsSpan<long>();
        var dst = new byte[src.Length];
        for (var i = 0; i < src.Length; i++) dst[i] = (byte)src[i];
        return dst;
    }

    private static (string Input, string? Labels, string? Logits) CheckGraph(InferenceSession session, ModelManifest m, string path)
    {
        var problems = new List<string>();
        if (session.InputMetadata.Count != 1)
            problems.Add($"expected one input, found {session.InputMetadata.Count} ({string.Join(", ", session.InputMetadata.Keys)})");
        var (inputName, inputMeta) = session.InputMetadata.First();
        long[] want = [1, 1, m.InputGrid.X, m.InputGrid.Y, m.InputGrid.Z];
        if (inputMeta.ElementDataType != TensorElementType.Float || inputMeta.Dimensions.Length != 5)
            problems.Add($"input '{inputName}' must be float32 of rank 5, found {inputMeta.ElementDataType} rank {inputMeta.Dimensions.Length}");
        else
        {
            for (var i = 0; i < 5; i++)
            {
                if (inputMeta.Dimensions[i] >= 0 && inputMeta.Dimensions[i] != want[i])
                    problems.Add($"input '{inputName}' is [{string.Join(",", inputMeta.Dimensions)}] but the manifest grid needs [{string.Join(",", want)}]");
            }
        }

        string? labels = null;
        string? logits = null;
        if (session.OutputMetadata.TryGetValue("labels", out var lm))
        {
            if (lm.ElementDataType is TensorElementType.UInt8 or TensorElementType.Int64) labels = "labels";
            else problems.Add($"output 'labels' must be uint8 or int64, found {lm.ElementDataType}");
        }

        if (session.OutputMetadata.TryGetValue("logits", out var gm))
        {
            if (gm.ElementDataType == TensorElementType.Float && gm.Dimensions.Length == 5 && (gm.Dimensions[1] < 0 || gm.Dimensions[1] == m.NumClasses)) logits = "logits";
            else problems.Add($"output 'logits' must be float32 [1,{m.NumClasses},X,Y,Z], found {gm.ElementDataType} [{string.Join(",", gm.Dimensions)}]");
        }

        if (labels is null && logits is null && problems.Count == 0)
            problems.Add($"the model has neither a 'labels' nor a 'logits' output (outputs: {string.Join(", ", session.OutputMetadata.Keys)})");
        if (problems.Count > 0)
            throw new SegmentationException(SegmentationErrorReason.ModelMismatch, $"{path}: the graph does not fit its manifest: {string.Join("; ", problems.Distinct())}");
        return (inputName, labels, logits);
    }
}

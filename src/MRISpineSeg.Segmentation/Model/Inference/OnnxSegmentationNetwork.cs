using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>
/// An ONNX segmentation model with a manifest, loaded once into an ONNX Runtime session and reused for every volume.
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so one instance may serve several threads.
/// Input: float32 [1, 1, X, Y, Z] row-major (z fastest) at the manifest's grid. Output: the model's <c>labels</c>
/// (uint8 or int64), or, for a model with only <c>logits</c> [1, C, X, Y, Z], their argmax (first maximum on ties).
/// </summary>
public sealed class OnnxSegmentationNetwork : ISegmentationNetwork
{
    private const string CudaProvider = "CUDAExecutionProvider";
    private const string CpuProvider = "CPUExecutionProvider";

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string? _labelsName;
    private readonly string? _logitsName;
    private readonly long[] _inputShape;

    private OnnxSegmentationNetwork(InferenceSession session, ModelManifest manifest, string path, string provider, string inputName, string? labelsName, string? logitsName)
    {
        _session = session;
        Manifest = manifest;
        ModelPath = path;
        ExecutionProvider = provider;
        _inputName = inputName;
        _labelsName = labelsName;
        _logitsName = logitsName;
        _inputShape = [1, 1, manifest.InputGrid.X, manifest.InputGrid.Y, manifest.InputGrid.Z];
    }

    public ModelManifest Manifest { get; }

    public string ModelPath { get; }

    /// <summary><c>CPUExecutionProvider</c> or <c>CUDAExecutionProvider</c>: what the session actually runs on.</summary>
    public string ExecutionProvider { get; }

    /// <summary>
    /// Loads a model file. Throws <see cref="SegmentationException"/>: ModelNotFound (no such file), InvalidModel (not a
    /// loadable ONNX model), InvalidManifest (manifest absent or bad), ModelMismatch (graph I/O disagrees with the manifest).
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

        using var so = new SessionOptions
        {
            EnableCpuMemArena = options.EnableCpuMemArena,
            EnableMemoryPattern = options.EnableMemoryPattern,
            GraphOptimizationLevel = options.OptimizationLevel,
            ExecutionMode = options.ExecutionMode,
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

        var provider = ChooseProvider(so, options);
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{modelPath}: not a loadable ONNX model: {ex.Message}", ex);
        }

        try
        {
            var manifest = ManifestCodec.FromMetadata(session.ModelMetadata.CustomMetadataMap, modelPath);
            var (input, labels, logits) = CheckGraph(session, manifest, modelPath);
            NativeHeap.Trim();
            options.Logger?.LogInformation(
                "Loaded model {ModelId} from {ModelPath} on {ExecutionProvider} (grid {Grid}, {IntraOpThreads} intra-op threads, arena {Arena}, memory pattern {Pattern})",
                manifest.ModelId,
                modelPath,
                provider,
                manifest.InputGrid,
                options.IntraOpThreads,
                options.EnableCpuMemArena,
                options.EnableMemoryPattern);
            return new OnnxSegmentationNetwork(session, manifest, modelPath, provider, input, labels, logits);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

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
            throw new SegmentationException(SegmentationErrorReason.ModelMismatch, $"{ModelPath}: the model has no 'logits' output");
        cancellationToken.ThrowIfCancellationRequested();

        var outputs = new List<string>(2);
        if (_labelsName is not null) outputs.Add(_labelsName);
        if (_logitsName is not null && (includeLogits || _labelsName is null)) outputs.Add(_logitsName);

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(input), _inputShape);
        IDisposableReadOnlyCollection<OrtValue> results;
        try
        {
            results = _session.Run(runOptions, [_inputName], [inputValue], outputs);
        }
        catch (OnnxRuntimeException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Inference was cancelled.", ex, cancellationToken);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new SegmentationException(SegmentationErrorReason.InferenceFailed, $"{ModelPath}: inference failed: {ex.Message}", ex);
        }

        using (results)
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

    public void Dispose() => _session.Dispose();

    private static byte[] ReadLabels(OrtValue value)
    {
        var type = value.GetTensorTypeAndShape().ElementDataType;
        if (type == TensorElementType.UInt8) return value.GetTensorDataAsSpan<byte>().ToArray();
        var src = value.GetTensorDataAsSpan<long>();
        var dst = new byte[src.Length];
        for (var i = 0; i < src.Length; i++) dst[i] = (byte)src[i];
        return dst;
    }

    private static string ChooseProvider(SessionOptions so, OnnxNetworkOptions options)
    {
        if (options.Device != ExecutionDevice.Cuda) return CpuProvider;
        var available = OrtEnv.Instance().GetAvailableProviders();
        if (Array.IndexOf(available, CudaProvider) < 0)
        {
            options.Logger?.LogWarning("CUDA was requested but this ONNX Runtime has no CUDA provider (available: {Providers}); running on CPU", string.Join(", ", available));
            return CpuProvider;
        }

        try
        {
            so.AppendExecutionProvider_CUDA(options.CudaDeviceId);
            return CudaProvider;
        }
        catch (OnnxRuntimeException ex)
        {
            options.Logger?.LogWarning(ex, "CUDA provider could not start on device {Device}; running on CPU", options.CudaDeviceId);
            return CpuProvider;
        }
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

using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>
/// The fp32 network of a <c>model build</c> file run with <see cref="CalibrationGraph"/>'s range outputs. It is an
/// <see cref="ISegmentationNetwork"/>, so calibration scans go through <see cref="Segmenter"/> exactly as
/// <c>segment</c> sends them (reading, orientation to the model's axis codes, PaddleSeg preprocessing); every run
/// widens the ranges it has seen. Its labels are the fp32 network's.
/// </summary>
internal sealed class RangeRecorder : ISegmentationNetwork
{
    private const string LabelsOutput = "labels";
    private readonly InferenceSession _session;
    private readonly IReadOnlyList<(string Min, string Max, string Role)> _outputs;
    private readonly string[] _fetch;
    private readonly long[] _shape;
    private readonly Dictionary<string, ActivationRange> _ranges = new(StringComparer.Ordinal);

    public RangeRecorder(ModelProto fp32, ModelManifest manifest, int threads)
    {
        var model = fp32.Clone();
        _outputs = CalibrationGraph.AddRangeOutputs(model);
        _fetch = [LabelsOutput, .. _outputs.SelectMany(o => new[] { o.Min, o.Max })];
        Manifest = manifest;
        _shape = [1, 1, manifest.InputGrid.X, manifest.InputGrid.Y, manifest.InputGrid.Z];
        using var so = new SessionOptions
        {
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
            IntraOpNumThreads = Math.Max(0, threads),
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(model.ToByteArray(), so);
    }

    public ModelManifest Manifest { get; }

    /// <summary>Scans run so far.</summary>
    public int Runs { get; private set; }

    /// <summary>Every role's range over the runs so far.</summary>
    public IReadOnlyDictionary<string, ActivationRange> Ranges => _ranges;

    public byte[] PredictLabels(ReadOnlyMemory<float> input, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(input), _shape);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
        using var results = _session.Run(runOptions, [_session.InputNames[0]], [value], _fetch);
        for (var i = 0; i < _outputs.Count; i++)
        {
            var seen = new ActivationRange(results[1 + (2 * i)].GetTensorDataAsSpan<float>()[0], results[2 + (2 * i)].GetTensorDataAsSpan<float>()[0]);
            var role = _outputs[i].Role;
            _ranges[role] = _ranges.TryGetValue(role, out var r) ? r.Union(seen) : seen;
        }

        Runs++;
        return results[0].GetTensorDataAsSpan<byte>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}

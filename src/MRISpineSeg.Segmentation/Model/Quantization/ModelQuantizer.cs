using Google.Protobuf;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Segmentation.Model.VNet;

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>
/// <c>spineseg model quantize</c>: static int8 quantization of a VNet built by <c>spineseg model build</c>.
/// The data flow: the fp32 file's graph and Paddle weights (<see cref="BuiltVNetFile"/>) → calibration, each scan of
/// the folder (<see cref="CalibrationScans"/>) segmented by <see cref="Segmenter"/> on the fp32 graph with range outputs
/// (<see cref="RangeRecorder"/>) → activation ranges by role → the int8 graph (<see cref="Int8GraphBuilder"/>) with the
/// manifest's precision and calibration record → the output file, written atomically.
/// </summary>
public static class ModelQuantizer
{
    /// <summary>
    /// Quantizes <paramref name="modelPath"/> into <paramref name="outPath"/>. Throws <see cref="SegmentationException"/>:
    /// ModelNotFound; InvalidModel for a model <c>model build</c> did not make, or one already int8; InvalidRequest for
    /// a calibration folder that is missing, empty, or holds a scan that cannot be read or segmented (naming it).
    /// </summary>
    public static async Task<QuantizeResult> QuantizeAsync(string modelPath, string calibrationFolder, string outPath, QuantizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentException.ThrowIfNullOrEmpty(calibrationFolder);
        ArgumentException.ThrowIfNullOrEmpty(outPath);
        options ??= new QuantizeOptions();
        if (options.TailSlabs is < 1 or > 64)
            throw new SegmentationException(SegmentationErrorReason.InvalidRequest, $"tail slabs: {options.TailSlabs} must be 1..64");
        var file = ReadSupported(modelPath);
        var scans = CalibrationScans.List(calibrationFolder);

        using var recorder = new RangeRecorder(file.Model, file.Manifest, options.Threads);
        var segmenter = new Segmenter(recorder, new SegmenterOptions { RequireSpineLabels = false, KeepLargestComponent = false });
        foreach (var scan in scans)
        {
            try
            {
                await segmenter.SegmentFileAsync(scan, progress: null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is VolumeFormatException or IOException or SegmentationException { Reason: SegmentationErrorReason.InvalidScan or SegmentationErrorReason.InputMismatch })
            {
                throw new SegmentationException(SegmentationErrorReason.InvalidRequest, $"--calibration: {Path.GetFileName(scan)} cannot be used: {ex.Message}", ex);
            }

            options.Progress?.Report($"calibrated on {Path.GetFileName(scan)} ({recorder.Runs}/{scans.Count})");
        }

        var warnings = new List<string>();
        if (scans.Count == 1)
            warnings.Add($"calibrated on a single scan ({Path.GetFileName(scans[0])}): other scans may reach values outside its activation ranges and be clipped; calibrate on several scans like the ones to be segmented");
        var manifest = file.Manifest with
        {
            ModelId = options.ModelId ?? file.Manifest.ModelId + "-int8",
            Precision = ModelManifest.Int8,
            Calibration = new CalibrationRecord(scans.Count, CalibrationScans.Checksum(scans)),
        };
        var model = Int8GraphBuilder.Build(file.Architecture, file.Weights, manifest.InputGrid, options.TailSlabs, recorder.Ranges, [new(ManifestCodec.MetadataKey, ManifestCodec.ToJson(manifest))], out var dequantized);
        if (dequantized.Count > 0)
            warnings.Add($"{dequantized.Count} PReLU layer(s) have slopes outside [0, 1] and run in fp32 between int8 layers: {string.Join(", ", dequantized)}");
        AtomicFile.Write(outPath, model.WriteTo);
        return new QuantizeResult(manifest, warnings, dequantized);
    }

    /// <summary>The fp32 VNet of a <c>model build</c> file, or InvalidModel saying what is supported.</summary>
    internal static BuiltVNetFile ReadSupported(string modelPath)
    {
        if (!File.Exists(modelPath))
            throw new SegmentationException(SegmentationErrorReason.ModelNotFound, $"{modelPath}: the model file does not exist; quantize a model built by 'spineseg model build'");
        if (!BuiltVNetFile.TryRead(modelPath, out var file, out var manifest, out var why))
        {
            var what = manifest?.IsInt8 == true
                ? "the model is already int8 (quantized by 'spineseg model quantize'); quantize the fp32 model it came from"
                : $"{why}; 'spineseg model quantize' supports fp32 PReLU VNet models built by 'spineseg model build'";
            throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{modelPath}: cannot quantize: {what}");
        }

        if (file!.Architecture.Activation != VNetActivation.PRelu)
            throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{modelPath}: cannot quantize: the model uses ELU; 'spineseg model quantize' supports fp32 PReLU VNet models built by 'spineseg model build'");
        return file;
    }
}

using MRISpineSeg.Segmentation;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Outputs;
using MRISpineSeg.Segmentation.Stats;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.Pipeline.Adapters;

/// <summary>
/// The segmenter port over the Segmentation library: one ONNX Runtime session, loaded once and reused for every scan
/// (ONNX Runtime sessions are safe to run from several threads). Failures are the library's own
/// <see cref="SegmentationException"/> (or <see cref="Imaging.VolumeFormatException"/> for unreadable scans), whose
/// <c>Reason</c> the pipeline's <see cref="Failures.FailurePolicy"/> decides on. Disposing releases the session.
/// </summary>
public sealed class OnnxScanSegmenter : IScanSegmenter, IDisposable
{
    private const string MaskFileName = "mask.nii.gz";
    private readonly OnnxSegmentationNetwork _network;
    private readonly Segmenter _segmenter;

    /// <summary>Takes ownership of <paramref name="network"/>.</summary>
    /// <exception cref="SegmentationException">The model's manifest does not fit the pipeline (ModelMismatch).</exception>
    public OnnxScanSegmenter(OnnxSegmentationNetwork network, SegmenterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        _segmenter = new Segmenter(network, options);
        _network = network;
    }

    public string ModelId => _segmenter.Manifest.ModelId;

    /// <summary>Loads <paramref name="modelPath"/> and checks its manifest; the session is released if the check fails.</summary>
    public static OnnxScanSegmenter Load(string modelPath, OnnxNetworkOptions? options = null, SegmenterOptions? segmenterOptions = null)
    {
        var network = OnnxSegmentationNetwork.Load(modelPath, options);
        try
        {
            return new OnnxScanSegmenter(network, segmenterOptions);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public async Task<ScanSegmentation> SegmentAsync(Stream scan, string blobName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var result = await _segmenter.SegmentAsync(scan, blobName, cancellationToken: cancellationToken).ConfigureAwait(false);
        var encoded = ResultOutputs.Encode(result, MaskFileName); // the stats JSON last, so its timings include the encoding
        return new ScanSegmentation(encoded.Mask, encoded.Preview, encoded.StatsJson, result.Timings[StageTimings.Infer].TotalMilliseconds, result.Stats.Orientation, result.Stats.Reorientation);
    }

    public void Dispose() => _network.Dispose();
}

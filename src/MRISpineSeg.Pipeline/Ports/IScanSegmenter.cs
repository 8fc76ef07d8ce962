namespace MRISpineSeg.Pipeline.Ports;

/// <summary>
/// The port the worker segments through; the Segmentation library's adapter implements it with one ONNX session
/// reused for every scan. Failures follow the one-exception-per-library rule: an exception with
/// <c>IsTransient = false</c> (e.g. <see cref="Imaging.VolumeFormatException"/>) dead-letters the job.
/// </summary>
public interface IScanSegmenter
{
    /// <summary>The id of the loaded model (written into job status and output metadata).</summary>
    string ModelId { get; }

    /// <summary>
    /// Segments one scan read from <paramref name="scan"/>; <paramref name="blobName"/> gives the format by its extension
    /// and names the scan in errors. The mask carries the scan's exact grid (docs/design.md §3).
    /// </summary>
    Task<ScanSegmentation> SegmentAsync(Stream scan, string blobName, CancellationToken cancellationToken = default);
}

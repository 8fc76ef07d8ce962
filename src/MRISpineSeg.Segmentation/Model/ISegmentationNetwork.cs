namespace MRISpineSeg.Segmentation.Model;

/// <summary>
/// A loaded segmentation network, safe to reuse for many volumes (and from several threads, one call at a time each).
/// </summary>
public interface ISegmentationNetwork : IDisposable
{
    ModelManifest Manifest { get; }

    /// <summary>
    /// Runs the network on a preprocessed tensor of shape [1, 1, X, Y, Z] with (X, Y, Z) = <see cref="ModelManifest.InputGrid"/>,
    /// row-major (z fastest). Returns the argmax labels as bytes in the same row-major [X, Y, Z] order.
    /// </summary>
    byte[] PredictLabels(ReadOnlyMemory<float> input, CancellationToken cancellationToken = default);
}

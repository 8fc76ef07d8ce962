using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>
/// A test double of the segmenter port, for the worker's delivery contract (idempotency, redelivery, dead-lettering),
/// not a product: it reads the scan with the real Imaging reader (so a bad scan fails as it would in production) and
/// labels every voxel above zero as 1 on the scan's own grid. It counts calls, can hold a call until released
/// (to kill a worker mid-job), and can fail a number of times with a transient error.
/// </summary>
public sealed class ThresholdSegmenterDouble : IScanSegmenter
{
    private int _calls;
    private int _transientFailuresLeft;

    public string ModelId => "test-threshold";

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, each call waits for this before returning (cancellation ends the wait).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Signalled when a call has started.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void FailTransiently(int times) => _transientFailuresLeft = times;

    public async Task<ScanSegmentation> SegmentAsync(Stream scan, string blobName, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Started.TrySetResult();
        if (Interlocked.Decrement(ref _transientFailuresLeft) >= 0)
            throw new TimeoutException("test: the model server did not answer in time");
        var volume = VolumeIO.Read(scan, blobName, new VolumeReadOptions { ElementType = VoxelType.Float32 });
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var values = volume.Voxels.As<float>().Data;
        var labels = new byte[values.Length];
        for (var i = 0; i < values.Length; i++) labels[i] = values[i] > 0 ? (byte)1 : (byte)0;
        using var ms = new MemoryStream();
        VolumeIO.Write(volume.CreateMask(labels), ms, "mask.nii.gz");
        return new ScanSegmentation(ms.ToArray(), [0x89, 0x50, 0x4E, 0x47], "{}"u8.ToArray(), 0, OrientationCode.FromAffine(volume.Geometry.Affine), "none (threshold on the stored grid)");
    }
}

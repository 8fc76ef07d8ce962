using System.Diagnostics;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Postprocessing;
using MRISpineSeg.Segmentation.Preprocessing;
using MRISpineSeg.Segmentation.Preview;
using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Segmentation;

/// <summary>
/// Segments scans with one loaded network, reused for every volume (the CLI runs it once; the cloud worker keeps one
/// for its lifetime). Per scan: read (float32, slope applied) → <see cref="PaddlePreprocessor"/> → network →
/// <see cref="LabelProjector"/> → stats. Before preprocessing the voxels are permuted and flipped to the model's axis
/// codes (<see cref="ScanOrientation"/>); the labels go back through the inverse, so the mask is on the scan's own grid, each stage timed and reported through <see cref="IProgress{T}"/>.
/// <para>
/// Scans it refuses, with <see cref="SegmentationErrorReason.InvalidScan"/>: fewer than 2 voxels along any axis (not a
/// 3-D volume: a single slice or a line), NaN intensities, and blank scans. <b>Blank-scan rule:</b> a scan with no voxel
/// above 0 (after scl_slope/scl_inter) is refused rather than segmented, because after <c>clip(x / ClipMax, 0, 1)</c> the
/// network would see an all-zero tensor and any mask it returned would be noise; such a file is almost always a failed
/// export. 4-D series (t &gt; 1) are refused by the reader (<see cref="VolumeFormatException"/>, UnsupportedDimensions).
/// </para>
/// </summary>
public sealed class Segmenter
{
    /// <summary>Activity source name for tracing; each stage is an activity named after it.</summary>
    public const string ActivitySourceName = "MRISpineSeg.Segmentation";

    private static readonly ActivitySource Activities = new(ActivitySourceName);
    private static readonly VolumeReadOptions ReadFloat32 = new() { ElementType = VoxelType.Float32 };
    private readonly ISegmentationNetwork _network;
    private readonly SegmenterOptions _options;

    /// <exception cref="SegmentationException">The manifest does not fit this pipeline (<see cref="SegmentationErrorReason.ModelMismatch"/>).</exception>
    public Segmenter(ISegmentationNetwork network, SegmenterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        _options = options ?? SegmenterOptions.Default;
        ManifestCheck.Validate(network.Manifest, _options.RequireSpineLabels);
        _network = network;
    }

    public ModelManifest Manifest => _network.Manifest;

    /// <summary>Reads and segments a file (any supported format, <c>.mhd</c> included).</summary>
    public Task<SegmentationResult> SegmentFileAsync(string path, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Task.Run(
            () =>
            {
                var timings = new StageTimings();
                var scan = Timed(timings, StageTimings.Read, progress, () => VolumeIO.Read(path, ReadFloat32));
                return Run(scan, Path.GetFileName(path), ownsVoxels: true, timings, progress, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// Reads and segments a scan from a stream (e.g. a downloaded blob); <paramref name="fileName"/> decides the format
    /// (<c>.nii</c>, <c>.nii.gz</c>, <c>.mha</c>). The stream is read to its end asynchronously before decoding.
    /// </summary>
    public async Task<SegmentationResult> SegmentAsync(Stream scan, string fileName, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var timings = new StageTimings();
        var started = StageTimings.Start();
        progress?.Report(new StageProgress(StageTimings.Read, false, TimeSpan.Zero));
        Volume volume;
        using (Activities.StartActivity(StageTimings.Read)) // ended before the other stages start, so they are not its children
        {
            // A stream already in memory (the worker's download) is decoded where it is; anything else is buffered once first.
            MemoryStream? copy = null;
            var source = scan as MemoryStream;
            if (source is null)
            {
                copy = new MemoryStream();
                await scan.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                copy.Position = 0;
                source = copy;
            }

            using (copy)
            {
                volume = await Task.Run(() => VolumeIO.Read(source, fileName, ReadFloat32), cancellationToken).ConfigureAwait(false);
            }
        }

        var readTime = timings.Stop(StageTimings.Read, started);
        progress?.Report(new StageProgress(StageTimings.Read, true, readTime));
        return await Task.Run(() => Run(volume, fileName, ownsVoxels: true, timings, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Segments a scan already in memory (any element type; real values are used). The scan is not modified.
    /// </summary>
    public SegmentationResult Segment(Volume scan, string? scanName = null, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scan);
        return Run(scan, scanName, ownsVoxels: false, new StageTimings(), progress, cancellationToken);
    }

    private SegmentationResult Run(Volume scan, string? name, bool ownsVoxels, StageTimings timings, IProgress<StageProgress>? progress, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var label = name ?? "scan";
        CheckIsVolume(scan, label);
        var manifest = _network.Manifest;

        // Storage order → the model's axis codes (permute and flip only), and → PSR for the mid-sagittal preview.
        var orientation = ScanOrientation.Of(scan.Geometry, scan.NiftiHeader, label);
        var toModel = ScanOrientation.ToModel(orientation, manifest);
        var toPreview = ScanOrientation.ToPreviewFrame(orientation);
        var modelShape = toModel.Apply(scan.Shape);
        var previewShape = toPreview.Apply(scan.Shape);
        var previewPlane = SagittalSlice.MiddleIndex(previewShape);

        var (input, sliceImage) = Timed(timings, StageTimings.Preprocess, progress, () =>
        {
            // The buffer is ours to clip in place only when we read it and it is already float32 real values,
            // or when reorienting made a copy anyway.
            var voxels = scan.ToFloat32();
            var inPlace = ownsVoxels || !ReferenceEquals(voxels, (scan.Voxels as VoxelBuffer<float>)?.Data);
            var image = toPreview.ExtractPlane<float>(voxels, scan.Shape, previewPlane);
            if (!toModel.IsIdentity)
            {
                voxels = toModel.Apply(voxels, scan.Shape);
                inPlace = true;
            }

            var pre = PaddlePreprocessor.Run(voxels, modelShape, manifest, inPlace, label);
            if (pre.ClippedMax <= 0)
            {
                throw new SegmentationException(
                    SegmentationErrorReason.InvalidScan,
                    $"{label}: no voxel is above 0 (after scl_slope/scl_inter), so the scan is blank; a blank scan is almost always a failed export and is not segmented");
            }

            return (pre, image);
        });

        ct.ThrowIfCancellationRequested();
        var labels = Timed(timings, StageTimings.Infer, progress, () => _network.PredictLabels(input.Tensor, ct));

        var keepLargest = _options.KeepLargestComponent ?? manifest.KeepLargestComponent;
        var orderLevels = _options.OrderLevels ?? manifest.OrderLevels;
        long? removed = null;
        LevelOrderOutcome? levelOrder = null;
        var (mask, histogram) = Timed(timings, StageTimings.Postprocess, progress, () =>
        {
            if (labels.Length != input.Grid.Count)
            {
                throw new SegmentationException(
                    SegmentationErrorReason.ModelMismatch,
                    $"model '{manifest.ModelId}': returned {labels.Length} labels for grid {input.Grid} ({input.Grid.Count} expected)");
            }

            // Labels on the model-oriented grid, then back through the inverse onto the scan's own grid and header.
            var onModelGrid = LabelProjector.ToScanGrid(labels, input.Grid, modelShape);
            if (orderLevels) levelOrder = OrderLevels(onModelGrid, modelShape, manifest);
            var onScanGrid = toModel.IsIdentity ? onModelGrid : toModel.Inverse().Apply(onModelGrid, modelShape);
            if (keepLargest) removed = LargestComponentFilter.Apply(onScanGrid, scan.Shape);
            var m = scan.CreateMask(onScanGrid);
            var h = StructureCounter.Histogram(onScanGrid);
            for (var c = manifest.NumClasses; c < h.Length; c++)
            {
                if (h[c] > 0)
                    throw new SegmentationException(SegmentationErrorReason.ModelMismatch, $"model '{manifest.ModelId}': returned label {c} but has only {manifest.NumClasses} classes (0..{manifest.NumClasses - 1})");
            }

            return (m, h);
        });

        var voxelVolume = StructureCounter.VoxelVolumeMm3(scan.Geometry.Affine);
        var stats = new SegmentationStats
        {
            ModelId = manifest.ModelId,
            TrainingData = manifest.TrainingData,
            KeepLargestRemovedVoxels = removed,
            LevelOrder = levelOrder,
            ScanName = name,
            Shape = scan.Shape,
            SpacingMm = scan.Geometry.Spacing,
            Orientation = orientation.Code,
            ModelOrientation = toModel.To,
            Reorientation = toModel.Describe(),
            VoxelVolumeMm3 = voxelVolume,
            Structures = StructureCounter.Structures(histogram, voxelVolume, manifest.ClassNames),
            Timings = timings,
        };
        var maskSlice = toPreview.ExtractPlane<byte>(mask.Voxels.As<byte>().Data, scan.Shape, previewPlane);
        var previewSlice = new SagittalSlice(sliceImage, maskSlice, previewShape, previewPlane, toPreview.Apply(scan.Geometry.Affine, scan.Shape));
        var previewOptions = _options.Preview.Caption is null && name is not null
            ? _options.Preview with { Caption = VolumeIO.StripExtension(name) }
            : _options.Preview;
        return new SegmentationResult(mask, stats, previewSlice, previewOptions);
    }

    /// <summary>Level ordering on the labels in the model's orientation, whose S (or I) axis is the spine's.</summary>
    private static LevelOrderOutcome OrderLevels(byte[] labels, Shape3 shape, ModelManifest manifest)
    {
        if (manifest.NumClasses > ModelManifest.MaxOrderedClasses)
        {
            throw new SegmentationException(
                SegmentationErrorReason.ModelMismatch,
                $"model '{manifest.ModelId}': level ordering needs classes that are vertebrae from the bottom up with no discs (at most {ModelManifest.MaxOrderedClasses}); it has {manifest.NumClasses}");
        }

        var codes = manifest.Orientation.ToUpperInvariant();
        var axis = codes.IndexOfAny(['S', 'I']);
        return LevelOrdering.Apply(labels, shape, axis, codes[axis] == 'S', 1, (byte)(manifest.NumClasses - 1));
    }

    private static void CheckIsVolume(Volume scan, string label)
    {
        var s = scan.Shape;
        if (s.X < 2 || s.Y < 2 || s.Z < 2)
        {
            throw new SegmentationException(
                SegmentationErrorReason.InvalidScan,
                $"{label}: shape {s} is not a 3-D volume; every axis needs at least 2 voxels (MRSpineSeg scans are e.g. 512x512x12 with the slices on NIfTI axis 2)");
        }
    }

    private static T Timed<T>(StageTimings timings, string stage, IProgress<StageProgress>? progress, Func<T> body)
    {
        using var activity = Activities.StartActivity(stage);
        progress?.Report(new StageProgress(stage, false, TimeSpan.Zero));
        var started = StageTimings.Start();
        var result = body();
        var elapsed = timings.Stop(stage, started); // outside ?. : the time is recorded whether or not anyone listens
        progress?.Report(new StageProgress(stage, true, elapsed));
        return result;
    }
}

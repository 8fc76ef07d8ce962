using System.Text.Json;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Stats;

/// <summary>
/// What one segmentation produced, for people and dashboards: the model, the scan's grid, the time per stage and, per
/// structure present, its label, name, voxel count and volume in mm³. Background and absent structures are not listed.
/// </summary>
public sealed record SegmentationStats
{
    public required string ModelId { get; init; }

    /// <summary>The model manifest's one line on its training data, when it has one (e.g. "synthetic phantoms only").</summary>
    public string? TrainingData { get; init; }

    /// <summary>Voxels set to background by the largest-component clean-up; null when it did not run.</summary>
    public long? KeepLargestRemovedVoxels { get; init; }

    /// <summary>What the level ordering did; null when it did not run.</summary>
    public Postprocessing.LevelOrderOutcome? LevelOrder { get; init; }

    /// <summary>The scan's file or blob name, when known.</summary>
    public string? ScanName { get; init; }

    /// <summary>The scan's (and mask's) grid, NIfTI axis order.</summary>
    public required Shape3 Shape { get; init; }

    /// <summary>Voxel spacing (x, y, z), mm.</summary>
    public required double[] SpacingMm { get; init; }

    /// <summary>Orientation code of the scan's voxel axes as stored, e.g. <c>RAS</c> (nibabel's <c>io_orientation</c>).</summary>
    public required string Orientation { get; init; }

    /// <summary>The model's axis codes, which the scan was brought to before preprocessing, e.g. <c>PSR</c>.</summary>
    public string ModelOrientation { get; init; } = "PSR";

    /// <summary>The permutation and flips applied, e.g. <c>RAS→PSR: axes (1, 2, 0), flip 0</c>, or <c>PSR→PSR: none</c>.</summary>
    public string Reorientation { get; init; } = "none";

    /// <summary>|det| of the affine's 3×3 part, mm³.</summary>
    public required double VoxelVolumeMm3 { get; init; }

    public required IReadOnlyList<StructureStats> Structures { get; init; }

    /// <summary>Wall-clock time per stage; the writers return copies with the <c>write</c> stage added (<see cref="WithStage"/>).</summary>
    public required StageTimings Timings { get; init; }

    /// <summary>These stats with <paramref name="elapsed"/> added to <paramref name="stage"/>.</summary>
    public SegmentationStats WithStage(string stage, TimeSpan elapsed) => this with { Timings = Timings.With(stage, elapsed) };

    /// <summary>
    /// The JSON document, camelCase:
    /// <c>{"modelId", "trainingData" (null when the manifest has none), "keepLargestComponent": {"removedVoxels"} (or
    /// null when the clean-up did not run), "scan", "shape": [X,Y,Z], "spacingMm": [..], "orientation", "modelOrientation", "reorientation", "voxelVolumeMm3",
    /// "timingsMs": {"read": .., "preprocess": .., "infer": .., "postprocess": .., "write": .., "total": ..},
    /// "structures": [{"label", "name", "voxels", "volumeMm3"}]}</c>. Times are in milliseconds.
    /// </summary>
    public byte[] ToJson()
    {
        using var ms = new MemoryStream();
        WriteJson(ms);
        return ms.ToArray();
    }

    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Relaxed escaping writes "RAS→PSR" as it reads, not as \u2192; the file is JSON, never embedded in HTML.
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("modelId", ModelId);
        if (TrainingData is null) w.WriteNull("trainingData");
        else w.WriteString("trainingData", TrainingData);
        if (KeepLargestRemovedVoxels is not { } removed)
        {
            w.WriteNull("keepLargestComponent");
        }
        else
        {
            w.WriteStartObject("keepLargestComponent");
            w.WriteNumber("removedVoxels", removed);
            w.WriteEndObject();
        }

        if (LevelOrder is not { } order)
        {
            w.WriteNull("levelOrder");
        }
        else
        {
            w.WriteStartObject("levelOrder");
            w.WriteNumber("bodies", order.Bodies);
            w.WriteNumber("erosions", order.Erosions);
            w.WriteNumber("offset", order.Offset);
            w.WriteNumber("changedVoxels", order.ChangedVoxels);
            w.WriteEndObject();
        }

        if (ScanName is null) w.WriteNull("scan");
        else w.WriteString("scan", ScanName);
        w.WriteStartArray("shape");
        w.WriteNumberValue(Shape.X);
        w.WriteNumberValue(Shape.Y);
        w.WriteNumberValue(Shape.Z);
        w.WriteEndArray();
        w.WriteStartArray("spacingMm");
        foreach (var s in SpacingMm) FiniteJson.WriteValue(w, Math.Round(s, 6));
        w.WriteEndArray();
        w.WriteString("orientation", Orientation);
        w.WriteString("modelOrientation", ModelOrientation);
        w.WriteString("reorientation", Reorientation);
        FiniteJson.Write(w, "voxelVolumeMm3", Math.Round(VoxelVolumeMm3, 6));
        w.WriteStartObject("timingsMs");
        foreach (var (stage, elapsed) in Timings.Stages) FiniteJson.Write(w, stage, Math.Round(elapsed.TotalMilliseconds, 1));
        FiniteJson.Write(w, "total", Math.Round(Timings.Total.TotalMilliseconds, 1));
        w.WriteEndObject();
        w.WriteStartArray("structures");
        foreach (var s in Structures)
        {
            w.WriteStartObject();
            w.WriteNumber("label", s.Label);
            w.WriteString("name", s.Name);
            w.WriteNumber("voxels", s.VoxelCount);
            FiniteJson.Write(w, "volumeMm3", Math.Round(s.VolumeMm3, 3));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}

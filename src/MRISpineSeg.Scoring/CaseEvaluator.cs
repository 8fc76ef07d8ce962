using MRISpineSeg.Imaging.Labels;
using System.Globalization;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Scoring.Conventions;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Metrics;
using MRISpineSeg.Scoring.Reports;

namespace MRISpineSeg.Scoring;

/// <summary>
/// Scores one case: decodes both masks straight to bytes, checks them against the rules, counts the confusion matrix
/// and derives every convention. Problems are collected, not thrown, so one run reports every bad case.
/// </summary>
internal static class CaseEvaluator
{
    private static readonly VolumeReadOptions AsDoubles = new() { ElementType = VoxelType.Float64 };

    public static CaseScore? Evaluate(MaskFile truthFile, MaskFile predFile, ScoringOptions options, List<CaseProblem> problems, LabelMaskDecoder truthReader, LabelMaskDecoder predReader)
    {
        var name = CaseNames.Display(truthFile.CaseId);
        var before = problems.Count;
        var truthMask = ReadLabels(truthReader, truthFile, "ground truth", name, problems);

        // The prediction's header is compared with the truth before any of its voxels are decoded: a few-KB mask that
        // declares 2048x2048x500 must not cost gigabytes to refuse. After this check a prediction decodes to at most
        // the truth's size (one byte per voxel), which bounds memory per mask.
        if (truthMask is { } known && DeclaredShape(predFile) is { } declared && declared != known.Shape)
        {
            problems.Add(new CaseProblem(ScoringErrorReason.ShapeMismatch, name, $"prediction {predFile.Name} declares {declared} voxels but the ground truth is {known.Shape}; predict on the scan's own grid"));
            return null;
        }

        var predMask = ReadLabels(predReader, predFile, "prediction", name, problems);
        if (truthMask is not { } truth || predMask is not { } pred) return null;
        if (truth.Shape != pred.Shape)
        {
            problems.Add(new CaseProblem(ScoringErrorReason.ShapeMismatch, name, $"prediction {predFile.Name} is {pred.Shape} voxels but the ground truth is {truth.Shape}; predict on the scan's own grid"));
            return null;
        }

        if (!options.IgnoreGeometry && !truth.Geometry.Matches(pred.Geometry, options.GeometryToleranceMm, out var diff))
        {
            problems.Add(new CaseProblem(ScoringErrorReason.GeometryMismatch, name, $"prediction {predFile.Name} is not on the ground-truth grid: {diff} (tolerance {options.GeometryToleranceMm.ToString(CultureInfo.InvariantCulture)} mm); copy the scan's header into the mask, or pass --ignore-geometry"));
            return null;
        }

        if (problems.Count > before) return null;
        var t = truth.Labels.AsSpan();
        var p = pred.Labels.AsSpan();
        var dice = ConfusionMatrix.Count(t, p).DiceAll();
        var conventions = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var c in ScoringConventions.All) conventions[c.Name] = c.Score(dice);
        if (!options.SurfaceMetrics) return new CaseScore(truthFile.CaseId, dice, conventions);
        var g = truth.Geometry;
        var (hd95, assd) = SurfaceMetrics.Compute(t, p, truth.Shape, g.SpacingX, g.SpacingY, g.SpacingZ);
        return new CaseScore(truthFile.CaseId, dice, conventions, hd95, assd);
    }

    /// <summary>The grid a mask's header declares, or null when the header cannot be read (the full read then says why).</summary>
    private static Shape3? DeclaredShape(MaskFile file)
    {
        try
        {
            using var fs = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            return VolumeIO.ReadHeader(fs, file.Path).Shape;
        }
        catch (Exception ex) when (ex is VolumeFormatException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    private static DecodedLabels? ReadLabels(LabelMaskDecoder reader, MaskFile file, string role, string name, List<CaseProblem> problems)
    {
        DecodedLabels mask;
        try
        {
            mask = reader.Read(file.Path);
        }
        catch (VolumeFormatException ex) when (ex.Reason == VolumeErrorReason.ValueNotRepresentable)
        {
            ClassifyBadValues(file, role, name, problems);
            return null;
        }
        catch (Exception ex) when (ex is VolumeFormatException or IOException or UnauthorizedAccessException)
        {
            problems.Add(new CaseProblem(ScoringErrorReason.UnreadableMask, name, $"{role} {file.Name} cannot be read: {Shown(ex.Message, file)}"));
            return null;
        }

        var labels = mask.Labels.AsSpan();
        if (LabelScan.Max(labels) < SpineLabels.Count) return mask;
        var bad = LabelScan.ValuesOutOfRange(labels);
        problems.Add(new CaseProblem(ScoringErrorReason.LabelOutOfRange, name, $"{role} {file.Name} holds label values {Values(bad.Select(v => (double)v).ToList())} outside 0..19"));
        return null;
    }

    /// <summary>Error path only: decodes as float64 to say whether values are fractional, out of range, or both.</summary>
    private static void ClassifyBadValues(MaskFile file, string role, string name, List<CaseProblem> problems)
    {
        double[] values;
        try
        {
            values = VolumeIO.Read(file.Path, AsDoubles).Voxels.As<double>().Data;
        }
        catch (Exception ex) when (ex is VolumeFormatException or IOException)
        {
            problems.Add(new CaseProblem(ScoringErrorReason.UnreadableMask, name, $"{role} {file.Name} cannot be read: {Shown(ex.Message, file)}"));
            return;
        }

        var fractional = new SortedSet<double>();
        var outside = new SortedSet<double>();
        foreach (var v in values)
        {
            if (v == Math.Floor(v))
            {
                if ((v < 0 || v >= SpineLabels.Count) && outside.Count < 5) outside.Add(v);
            }
            else if (fractional.Count < 5)
            {
                fractional.Add(v);
            }
        }

        if (fractional.Count > 0)
            problems.Add(new CaseProblem(ScoringErrorReason.NonIntegerLabel, name, $"{role} {file.Name} holds non-integer values such as {Values([.. fractional])}; a mask must hold whole labels 0..19"));
        if (outside.Count > 0)
            problems.Add(new CaseProblem(ScoringErrorReason.LabelOutOfRange, name, $"{role} {file.Name} holds label values {Values([.. outside])} outside 0..19"));
    }

    private static string Values(IReadOnlyList<double> values)
        => string.Join(", ", values.Take(5).Select(v => v.ToString("G9", CultureInfo.InvariantCulture))) + (values.Count > 5 ? ", ..." : string.Empty);

    /// <summary>Imaging errors quote the path read; show the submission's own name instead of a temp folder.</summary>
    private static string Shown(string message, MaskFile file) => message.Replace(file.Path, file.Name, StringComparison.Ordinal);
}

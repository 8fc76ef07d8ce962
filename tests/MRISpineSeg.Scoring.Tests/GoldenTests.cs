using System.Text.Json;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Reports;

namespace MRISpineSeg.Scoring.Tests;

/// <summary>
/// The C# scorer against the independent nibabel/numpy/scipy reference (Reference/score_reference.py) on the committed
/// golden set (Reference/make_golden.py regenerates both). Every number in metrics.json must agree to 1e-9 and every
/// null must be null in both.
/// </summary>
public sealed class GoldenTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Golden");

    [Fact]
    public async Task MetricsJsonShouldMatchThePythonReferenceToOneInABillion()
    {
        using var truth = SubmissionFolder.Open(Path.Combine(Golden, "truth"));
        using var pred = SubmissionFolder.Open(Path.Combine(Golden, "pred"));
        var report = await SubmissionScorer.ScoreAsync(truth, pred, new ScoringOptions { SurfaceMetrics = true });
        using var ms = new MemoryStream();
        await MetricsJsonWriter.WriteAsync(report, ms);
        using var ours = JsonDocument.Parse(ms.ToArray());
        using var reference = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Golden, "metrics.json")));
        // "detail" is the product's own marker of what a report shows (ReportDetail), not part of the reference layout.
        Assert.Equal("full", ours.RootElement.GetProperty("detail").GetString());
        var compared = Compare(reference.RootElement, ours.RootElement, "$");
        Assert.True(compared > 600, $"only {compared} values compared");
    }

    [Fact]
    public async Task GoldenSetShouldExerciseTheEmptyClassRules()
    {
        using var truth = SubmissionFolder.Open(Path.Combine(Golden, "truth"));
        using var pred = SubmissionFolder.Open(Path.Combine(Golden, "pred"));
        var report = await SubmissionScorer.ScoreAsync(truth, pred);
        var empty = report.Cases.Single(c => c.CaseId == 4);
        Assert.Null(empty.Conventions["challenge"]);
        Assert.Equal(0.05, empty.Conventions["paddleseg20"]!.Value, 15);
        Assert.Equal(4, report.Conventions["challenge"].N);
    }

    private static int Compare(JsonElement expected, JsonElement actual, string path)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: {expected.ValueKind} vs {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).ToList();
                Assert.Equal(names, actual.EnumerateObject().Select(p => p.Name).Where(n => path != "$" || n != "detail").ToList());
                return names.Sum(n => Compare(expected.GetProperty(n), actual.GetProperty(n), $"{path}.{n}"));
            case JsonValueKind.Number:
                Assert.True(Math.Abs(expected.GetDouble() - actual.GetDouble()) <= 1e-9, $"{path}: {expected.GetDouble()} vs {actual.GetDouble()}");
                return 1;
            case JsonValueKind.String:
                Assert.Equal(expected.GetString(), actual.GetString());
                return 1;
            default:
                return 1;
        }
    }
}

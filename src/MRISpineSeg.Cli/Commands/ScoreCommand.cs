using System.CommandLine;
using System.Globalization;
using MRISpineSeg.Scoring;
using MRISpineSeg.Scoring.Conventions;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Reports;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg score --truth T --pred P [--out metrics.json] [--csv F] [--html F] [--surface] [--ignore-geometry]</c>:
/// Dice by the MRSpineSeg rules for a folder or .zip of predictions against a folder or .zip of ground truth.
/// </summary>
internal static class ScoreCommand
{
    public static Command Create(CommandIO io)
    {
        var truth = new Option<string>("--truth") { Description = "Ground truth: a folder or .zip of mask_case{N} / Case{N} volumes.", Required = true };
        var pred = new Option<string>("--pred") { Description = "Predictions: a folder or .zip of Case{N} / mask_case{N} volumes (at the top level or inside one folder).", Required = true };
        var output = new Option<string?>("--out") { Description = "Write metrics.json (Grand Challenge layout, null for undefined values) here." };
        var csv = new Option<string?>("--csv") { Description = "Write one CSV row per case and structure here." };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report here." };
        var surface = new Option<bool>("--surface") { Description = "Also compute HD95 and ASSD (mm) per structure; null where a structure is missing from either mask." };
        var ignoreGeometry = new Option<bool>("--ignore-geometry") { Description = "Do not require spacing, origin and direction to match the truth within 1e-3 mm (shapes must still match)." };
        var cmd = new Command("score", "Score predictions against ground truth: Dice per structure and case by the challenge, paddleseg20, paddleseg16, vertebrae and discs conventions.")
        {
            truth, pred, output, csv, html, surface, ignoreGeometry,
        };
        cmd.SetAction((r, ct) => io.GuardAsync(() => RunAsync(
            io, r.GetValue(truth)!, r.GetValue(pred)!, r.GetValue(output), r.GetValue(csv), r.GetValue(html),
            new ScoringOptions { SurfaceMetrics = r.GetValue(surface), IgnoreGeometry = r.GetValue(ignoreGeometry) }, ct)));
        return cmd;
    }

    private static async Task<int> RunAsync(CommandIO io, string truthPath, string predPath, string? outPath, string? csvPath, string? htmlPath, ScoringOptions options, CancellationToken ct)
    {
        using var truth = await SubmissionSources.OpenAsync(truthPath, cancellationToken: ct).ConfigureAwait(false);
        using var pred = await SubmissionSources.OpenAsync(predPath, cancellationToken: ct).ConfigureAwait(false);
        var bar = io.IsInteractive ? new ProgressBar(io.Error) : null;
        ScoreReport report;
        try
        {
            report = await SubmissionScorer.ScoreAsync(truth, pred, options, bar, ct).ConfigureAwait(false);
        }
        finally
        {
            bar?.Finish();
        }

        if (outPath is not null) await MetricsJsonWriter.WriteAsync(report, outPath, ct).ConfigureAwait(false);
        if (csvPath is not null) await CsvReportWriter.WriteAsync(report, csvPath, ct).ConfigureAwait(false);
        if (htmlPath is not null) await HtmlReportWriter.WriteAsync(report, htmlPath, ct).ConfigureAwait(false);
        PrintHeadline(io.Out, report);
        foreach (var p in new[] { outPath, csvPath, htmlPath })
        {
            if (p is not null) io.Out.WriteLine($"wrote {p}");
        }

        return CommandIO.Success;
    }

    private static void PrintHeadline(TextWriter w, ScoreReport report)
    {
        w.WriteLine($"scored {report.Cases.Count} case(s){(report.GeometryChecked ? string.Empty : " (geometry check waived)")}");
        w.WriteLine($"{"convention",-12} {"mean",8} {"std",8} {"cases",6}");
        foreach (var c in ScoringConventions.All)
        {
            var a = report.Conventions[c.Name];
            w.WriteLine($"{c.Name,-12} {F(a.Mean),8} {F(a.Std),8} {a.N.ToString(CultureInfo.InvariantCulture),6}");
        }

        if (report.Hd95 is null) return;
        var hd = Aggregate.Of(report.Hd95.Skip(1).Select(a => a.Mean));
        var asd = Aggregate.Of(report.Assd!.Skip(1).Select(a => a.Mean));
        w.WriteLine($"surface: mean HD95 {F(hd.Mean, "0.00")} mm, mean ASSD {F(asd.Mean, "0.00")} mm (over structures)");
    }

    private static string F(double? v, string format = "0.0000") => v is { } d ? d.ToString(format, CultureInfo.InvariantCulture) : "null";

    /// <summary>A one-line bar redrawn in place on stderr; reports arrive from worker threads, so drawing is locked.</summary>
    private sealed class ProgressBar(TextWriter error) : IProgress<ScoringProgress>
    {
        private readonly Lock gate = new();
        private bool drawn;

        public void Report(ScoringProgress value)
        {
            lock (gate)
            {
                const int width = 30;
                var filled = value.Total == 0 ? width : value.Done * width / value.Total;
                error.Write($"\rscoring [{new string('#', filled)}{new string('.', width - filled)}] {value.Done}/{value.Total}");
                drawn = true;
            }
        }

        public void Finish()
        {
            lock (gate)
            {
                if (drawn) error.WriteLine();
            }
        }
    }
}

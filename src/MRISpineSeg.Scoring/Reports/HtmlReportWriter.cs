using System.Globalization;
using System.Net;
using System.Text;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Scoring.Conventions;

namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// A self-contained HTML report (inline CSS and SVG, no scripts, no external assets): headline scores per convention,
/// a per-structure bar chart with the spread across cases, the worst cases with their weakest structures, the
/// conventions in a sentence each, and surface metrics when computed. Only metrics appear, never voxel data.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>How many of the lowest-scoring cases the report lists.</summary>
    public const int WorstCases = 5;

    public static string Render(ScoreReport report, string title = "MRSpineSeg score report", ReportDetail detail = ReportDetail.Full)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">");
        sb.Append("<title>").Append(E(title)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        sb.Append("<h1>").Append(E(title)).Append("</h1>");
        var headline = report.ChallengeMean;
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"headline\">Challenge score <b>{F(headline)}</b> over {report.Cases.Count} case(s)");
        sb.Append(report.GeometryChecked ? "; grids checked to 1e-3 mm" : "; grid geometry check waived").Append(".</p>");
        sb.Append(detail == ReportDetail.Team
            ? "<p class=\"note\">Team view: means over cases, rounded to 4 decimals. Per-case scores are kept for the organisers and not published in this phase.</p>"
            : "<p class=\"note\">Full view: every case's scores at full precision.</p>");
        if (detail == ReportDetail.Team)
        {
            TeamTables(sb, report);
            sb.Append("</body></html>\n");
            return sb.ToString();
        }

        sb.Append("<h2>Scores by convention</h2><table><tr><th>convention</th><th>mean Dice</th><th>std</th><th>cases</th><th>what it means</th></tr>");
        foreach (var c in ScoringConventions.All)
        {
            var a = report.Conventions[c.Name];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{c.Name}</code></td><td class=\"num\">{F(a.Mean)}</td><td class=\"num\">{F(a.Std)}</td><td class=\"num\">{a.N}</td><td>{E(c.Summary)}</td></tr>");
        }

        sb.Append("</table>");
        sb.Append("<h2>Dice per structure</h2><p class=\"note\">Bar: mean over the cases where the structure is present in truth or prediction. Band: ±1 standard deviation. Whisker: lowest to highest case. Vertebrae in blue, discs in orange.</p>");
        sb.Append("<figure>").Append(BarChartSvg.Render(report.Dice, firstLabel: 1)).Append("</figure>");
        PerClassTable(sb, report);
        WorstCaseTable(sb, report);
        sb.Append("<h2>How the scores are computed</h2><ul>");
        sb.Append("<li>Dice per case and structure is 2·TP / (2·TP + FP + FN), counted voxel by voxel on the ground-truth grid.</li>");
        foreach (var c in ScoringConventions.All) sb.Append("<li><code>").Append(c.Name).Append("</code>: ").Append(E(c.Summary)).Append(" The overall score is the mean of the case scores.</li>");
        if (report.SurfaceMetrics)
            sb.Append("<li>HD95 and ASSD are in mm on the physical grid, between the surfaces (6-connected borders) of truth and prediction; they are undefined (—) when a structure is missing from either.</li>");
        sb.Append("</ul></body></html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the UTF-8 page to a stream (a blob upload in the pipeline).</summary>
    public static Task WriteAsync(ScoreReport report, Stream stream, CancellationToken cancellationToken = default)
        => stream.WriteAsync(Encoding.UTF8.GetBytes(Render(report)), cancellationToken).AsTask();

    public static Task WriteAsync(ScoreReport report, string path, CancellationToken cancellationToken = default)
        => AtomicFile.WriteAsync(path, s => WriteAsync(report, s, cancellationToken), cancellationToken);

    /// <summary>The team view: each convention's mean and each structure's mean, 4 decimals, with case counts; nothing per case.</summary>
    private static void TeamTables(StringBuilder sb, ScoreReport report)
    {
        sb.Append("<h2>Scores by convention</h2><table><tr><th>convention</th><th>mean Dice</th><th>cases</th><th>what it means</th></tr>");
        foreach (var c in ScoringConventions.All)
        {
            var a = report.Conventions[c.Name];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{c.Name}</code></td><td class=\"num\">{F(a.Mean)}</td><td class=\"num\">{a.N}</td><td>{E(c.Summary)}</td></tr>");
        }

        sb.Append("</table><h2>Mean Dice per structure</h2><table><tr><th>label</th><th>structure</th><th>mean Dice</th><th>cases</th></tr>");
        for (var c = 1; c < SpineLabels.Count; c++)
        {
            var a = report.Dice[c];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{c}</td><td>{E(SpineLabels.Name(c))}</td><td class=\"num\">{F(a.Mean)}</td><td class=\"num\">{a.N}</td></tr>");
        }

        sb.Append("</table>");
    }

    private static void PerClassTable(StringBuilder sb, ScoreReport report)
    {
        sb.Append("<details><summary>Per-structure table</summary><table><tr><th>label</th><th>structure</th><th>mean Dice</th><th>std</th><th>min</th><th>max</th><th>cases</th>");
        if (report.SurfaceMetrics) sb.Append("<th>HD95 mm</th><th>ASSD mm</th>");
        sb.Append("</tr>");
        for (var c = 0; c < SpineLabels.Count; c++)
        {
            var a = report.Dice[c];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{c}</td><td>{E(SpineLabels.Name(c))}</td><td class=\"num\">{F(a.Mean)}</td><td class=\"num\">{F(a.Std)}</td><td class=\"num\">{F(a.Min)}</td><td class=\"num\">{F(a.Max)}</td><td class=\"num\">{a.N}</td>");
            if (report.SurfaceMetrics) sb.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{F(report.Hd95![c].Mean, "0.00")}</td><td class=\"num\">{F(report.Assd![c].Mean, "0.00")}</td>");
            sb.Append("</tr>");
        }

        sb.Append("</table></details>");
    }

    private static void WorstCaseTable(StringBuilder sb, ScoreReport report)
    {
        var challenge = ScoringConventions.Challenge.Name;
        var worst = report.Cases.Where(s => s.Conventions[challenge] is not null)
            .OrderBy(s => s.Conventions[challenge]).ThenBy(s => s.CaseId).Take(WorstCases).ToList();
        sb.Append("<h2>Worst cases</h2>");
        if (worst.Count == 0)
        {
            sb.Append("<p>No case has a defined challenge score.</p>");
            return;
        }

        sb.Append("<table><tr><th>case</th><th>challenge</th><th>vertebrae</th><th>discs</th><th>weakest structures</th></tr>");
        foreach (var s in worst)
        {
            var weakest = Enumerable.Range(1, SpineLabels.Count - 1).Where(c => s.Dice[c] is not null).OrderBy(c => s.Dice[c]).Take(3)
                .Select(c => $"{E(SpineLabels.Name(c))} {F(s.Dice[c])}");
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{s.Name}</td><td class=\"num\">{F(s.Conventions[challenge])}</td><td class=\"num\">{F(s.Conventions["vertebrae"])}</td><td class=\"num\">{F(s.Conventions["discs"])}</td><td>{string.Join(", ", weakest)}</td></tr>");
        }

        sb.Append("</table>");
    }

    private static string F(double? v, string format = "0.0000") => v is { } d && double.IsFinite(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private const string Css =
        "body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}" +
        "table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left}" +
        ".num{text-align:right;font-variant-numeric:tabular-nums}.headline{font-size:1.3em}.note{color:#555;font-size:.9em}" +
        "svg{width:100%;height:auto}.grid{stroke:#e5e5e5}.tick{font-size:11px;fill:#444}.vert{fill:#4a7fc1}.disc{fill:#e39a3b}" +
        ".std{fill:#000;opacity:.18}.whisker{stroke:#222;stroke-width:1.2}";
}

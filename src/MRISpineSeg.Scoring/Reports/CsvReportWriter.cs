using System.Globalization;
using System.Text;
using MRISpineSeg.Imaging.IO;

namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// One row per case × label: <c>case,label,name,dice[,hd95,assd]</c>. Undefined values are empty cells; numbers use
/// the invariant culture in round-trip form.
/// </summary>
public static class CsvReportWriter
{
    public static async Task WriteAsync(ScoreReport report, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            var sb = new StringBuilder();
            sb.Append(report.SurfaceMetrics ? "case,label,name,dice,hd95_mm,assd_mm\n" : "case,label,name,dice\n");
            foreach (var s in report.Cases)
            {
                for (var c = 0; c < SpineLabels.Count; c++)
                {
                    sb.Append(s.Name).Append(',').Append(c.ToString(CultureInfo.InvariantCulture)).Append(',')
                        .Append(Quote(SpineLabels.Name(c))).Append(',').Append(Cell(s.Dice[c]));
                    if (report.SurfaceMetrics) sb.Append(',').Append(Cell(s.Hd95![c])).Append(',').Append(Cell(s.Assd![c]));
                    sb.Append('\n');
                }
            }

            await writer.WriteAsync(sb, cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task WriteAsync(ScoreReport report, string path, CancellationToken cancellationToken = default)
        => AtomicFile.WriteAsync(path, s => WriteAsync(report, s, cancellationToken), cancellationToken);

    private static string Cell(double? v) => v is { } d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    private static string Quote(string s) => s.Contains(',', StringComparison.Ordinal) ? $"\"{s}\"" : s;
}

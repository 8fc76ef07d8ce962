using System.Globalization;
using System.Net;
using System.Text;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Scoring.Conventions;

namespace MRISpineSeg.Scoring.Leaderboard;

/// <summary>A self-contained HTML page of the ranking: rank, team, every convention's score, best submission, attempts.</summary>
public static class LeaderboardHtmlWriter
{
    public static string Render(Leaderboard board, string title = "MRSpineSeg leaderboard")
    {
        ArgumentNullException.ThrowIfNull(board);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse}")
            .Append("td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums}tr.first td{font-weight:600}")
            .Append("</style></head><body><h1>").Append(E(title)).Append("</h1>");
        var ranking = board.Ranking();
        if (ranking.Count == 0)
        {
            sb.Append("<p>No submissions yet.</p></body></html>\n");
            return sb.ToString();
        }

        sb.Append("<p>Ranked by the challenge score: mean Dice over structures 1-19, skipping structures absent from both masks, averaged over cases. Equal scores rank the earlier submission first. Each team's best submission counts.</p>");
        sb.Append("<table><tr><th>rank</th><th>team</th>");
        foreach (var c in ScoringConventions.All) sb.Append("<th>").Append(c.Name).Append("</th>");
        sb.Append("<th>submission</th><th>submitted (UTC)</th><th>cases</th><th>attempts</th></tr>");
        for (var i = 0; i < ranking.Count; i++)
        {
            var e = ranking[i];
            sb.Append(i == 0 ? "<tr class=\"first\">" : "<tr>").Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{i + 1}</td><td>{E(e.Team)}</td>");
            foreach (var c in ScoringConventions.All) sb.Append("<td class=\"num\">").Append(F(e.Best.Scores.GetValueOrDefault(c.Name))).Append("</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{E(e.Best.SubmissionId)}</td><td>{e.Best.SubmittedAt.UtcDateTime:yyyy-MM-dd HH:mm}</td><td class=\"num\">{e.Best.Cases}</td><td class=\"num\">{e.History.Count}</td></tr>");
        }

        sb.Append("</table></body></html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the UTF-8 page to a stream (a blob upload in the pipeline).</summary>
    public static Task WriteAsync(Leaderboard board, Stream stream, CancellationToken cancellationToken = default)
        => stream.WriteAsync(Encoding.UTF8.GetBytes(Render(board)), cancellationToken).AsTask();

    public static Task WriteAsync(Leaderboard board, string path, CancellationToken cancellationToken = default)
        => AtomicFile.WriteAsync(path, s => WriteAsync(board, s, cancellationToken), cancellationToken);

    private static string F(double? v) => v is { } d && double.IsFinite(d) ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}

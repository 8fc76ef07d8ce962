using System.CommandLine;
using System.Globalization;
using MRISpineSeg.Scoring.Leaderboard;
using MRISpineSeg.Scoring.Reports;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg leaderboard add --board B --team T --submission ID --metrics metrics.json</c> and
/// <c>spineseg leaderboard render --board B --html out.html</c>.
/// </summary>
internal static class LeaderboardCommand
{
    public static Command Create(CommandIO io)
    {
        var cmd = new Command("leaderboard", "Keep the challenge leaderboard: ranked by challenge mean Dice, ties to the earlier submission, best submission per team.");
        cmd.Subcommands.Add(Add(io));
        cmd.Subcommands.Add(Render(io));
        return cmd;
    }

    private static Command Add(CommandIO io)
    {
        var board = new Option<string>("--board") { Description = "Board JSON file; created when it does not exist.", Required = true };
        var team = new Option<string>("--team") { Description = "Team name.", Required = true };
        var submission = new Option<string>("--submission") { Description = "Submission id, unique per team.", Required = true };
        var metrics = new Option<string>("--metrics") { Description = "The metrics.json that 'spineseg score --out' wrote for this submission.", Required = true };
        var cmd = new Command("add", "Add a scored submission; it replaces the team's entry only if its challenge score is higher.") { board, team, submission, metrics };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var boardPath = r.GetValue(board)!;
            var metricsPath = CliParse.ExistingFile(r.GetValue(metrics)!, "--metrics");
            MetricsSummary summary;
            await using (var s = File.OpenRead(metricsPath))
            {
                summary = await MetricsSummary.ReadAsync(s, metricsPath, ct).ConfigureAwait(false);
            }

            var lb = await LeaderboardJson.LoadOrCreateAsync(boardPath, ct).ConfigureAwait(false);
            var update = lb.Add(r.GetValue(team)!, r.GetValue(submission)!, summary, DateTimeOffset.UtcNow);
            await LeaderboardJson.SaveAsync(lb, boardPath, ct).ConfigureAwait(false);
            var score = update.Submission.Challenge.ToString("0.0000", CultureInfo.InvariantCulture);
            var verdict = update.PreviousBest is null ? "first submission"
                : update.BecameBest ? $"improves on {update.PreviousBest.SubmissionId} ({update.PreviousBest.Challenge.ToString("0.0000", CultureInfo.InvariantCulture)})"
                : $"not better than {update.PreviousBest.SubmissionId} ({update.PreviousBest.Challenge.ToString("0.0000", CultureInfo.InvariantCulture)}), which stays on the board";
            io.Out.WriteLine($"{r.GetValue(team)}: {update.Submission.SubmissionId} scored {score} (challenge); {verdict}; rank {update.Rank} of {lb.Ranking().Count}");
            return CommandIO.Success;
        }));
        return cmd;
    }

    private static Command Render(CommandIO io)
    {
        var board = new Option<string>("--board") { Description = "Board JSON file.", Required = true };
        var html = new Option<string>("--html") { Description = "Write the ranking as a self-contained HTML page here.", Required = true };
        var cmd = new Command("render", "Render the ranking as HTML.") { board, html };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var boardPath = CliParse.ExistingFile(r.GetValue(board)!, "--board");
            var lb = await LeaderboardJson.LoadOrCreateAsync(boardPath, ct).ConfigureAwait(false);
            var htmlPath = r.GetValue(html)!;
            await LeaderboardHtmlWriter.WriteAsync(lb, htmlPath, ct).ConfigureAwait(false);
            io.Out.WriteLine($"wrote {htmlPath} ({lb.Ranking().Count} team(s))");
            return CommandIO.Success;
        }));
        return cmd;
    }
}

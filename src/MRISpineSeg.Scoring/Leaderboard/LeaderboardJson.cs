using System.Text.Json;
using System.Text.Json.Serialization;
using MRISpineSeg.Imaging.IO;

namespace MRISpineSeg.Scoring.Leaderboard;

/// <summary>
/// The board file (a blob in the pipeline):
/// <code>{"version": 1, "teams": [{"team": "A", "history": [{"submission": "s1", "sequence": 1, "submitted_at": "...", "cases": 22, "scores": {"challenge": 0.81, ...}}]}]}</code>
/// Only history is stored; the best entry per team and the ranking are derived on load, so they cannot disagree.
/// </summary>
public static class LeaderboardJson
{
    private const int Version = 1;
    private static readonly JsonSerializerOptions Options = FiniteJson.WithFiniteNumbers(new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    public static async Task<Leaderboard> LoadAsync(Stream stream, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        BoardDto? dto;
        try
        {
            dto = await JsonSerializer.DeserializeAsync<BoardDto>(stream, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw Invalid(description, $"is not a leaderboard file ({ex.Message})", ex);
        }

        if (dto is null || dto.Version != Version || dto.Teams is null)
            throw Invalid(description, $"is not a version {Version} leaderboard (expected {{\"version\": 1, \"teams\": [...]}})");
        var board = new Leaderboard();
        foreach (var t in dto.Teams)
        {
            Leaderboard.CheckName(t.Team, "team");
            if (t.History is null || t.History.Count == 0) throw Invalid(description, $"team {t.Team} has no submissions");
            foreach (var s in t.History)
            {
                if (s.Scores is null || s.Scores.GetValueOrDefault(Conventions.ScoringConventions.Challenge.Name) is null || s.Submission is null || s.Sequence < 1)
                    throw Invalid(description, $"team {t.Team} has a submission without id, sequence or challenge score");
                board.Restore(t.Team!, new LeaderboardSubmission(s.Submission, s.Sequence, s.SubmittedAt, s.Cases, s.Scores, s.Source));
            }
        }

        return board;
    }

    /// <summary>Loads a board file, or starts an empty board when the file does not exist.</summary>
    public static async Task<Leaderboard> LoadOrCreateAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) return new Leaderboard();
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (fs.ConfigureAwait(false))
        {
            return await LoadAsync(fs, path, cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task SaveAsync(Leaderboard board, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(board);
        var dto = new BoardDto
        {
            Version = Version,
            Teams = board.Ranking().Select(e => new TeamDto
            {
                Team = e.Team,
                History = e.History.Select(s => new SubmissionDto { Submission = s.SubmissionId, Sequence = s.Sequence, SubmittedAt = s.SubmittedAt, Cases = s.Cases, Scores = s.Scores.ToDictionary(), Source = s.Source }).ToList(),
            }).ToList(),
        };
        return JsonSerializer.SerializeAsync(stream, dto, Options, cancellationToken);
    }

    /// <summary>Saves atomically (temporary sibling, then rename).</summary>
    public static Task SaveAsync(Leaderboard board, string path, CancellationToken cancellationToken = default)
        => AtomicFile.WriteAsync(path, s => SaveAsync(board, s, cancellationToken), cancellationToken);

    private static ScoringException Invalid(string description, string problem, Exception? inner = null)
        => new(ScoringErrorReason.InvalidDocument, $"{description}: {problem}", inner: inner);

    private sealed class BoardDto
    {
        public int Version { get; set; }

        public List<TeamDto>? Teams { get; set; }
    }

    private sealed class TeamDto
    {
        public string? Team { get; set; }

        public List<SubmissionDto>? History { get; set; }
    }

    private sealed class SubmissionDto
    {
        public string? Submission { get; set; }

        public long Sequence { get; set; }

        public DateTimeOffset SubmittedAt { get; set; }

        public int Cases { get; set; }

        [JsonPropertyName("scores")]
        public Dictionary<string, double?>? Scores { get; set; }

        /// <summary>The upload it was scored from (absent in boards written before it was recorded).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Source { get; set; }
    }
}

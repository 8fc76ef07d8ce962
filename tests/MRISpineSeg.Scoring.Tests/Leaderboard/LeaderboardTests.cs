using MRISpineSeg.Scoring.Leaderboard;
using MRISpineSeg.Scoring.Reports;

namespace MRISpineSeg.Scoring.Tests.Leaderboard;

using Board = MRISpineSeg.Scoring.Leaderboard.Leaderboard;

public sealed class LeaderboardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RankingShouldBeByChallengeMeanHighestFirst()
    {
        var b = new Board();
        b.Add("A", "a1", M(0.70), T0);
        b.Add("B", "b1", M(0.80), T0);
        b.Add("C", "c1", M(0.75), T0);
        Assert.Equal(["B", "C", "A"], b.Ranking().Select(e => e.Team));
    }

    [Fact]
    public void TiesShouldGoToTheEarlierSubmission()
    {
        var b = new Board();
        b.Add("Late", "x", M(0.8), T0);
        b.Add("Later", "y", M(0.8), T0.AddMinutes(-5));
        // Arrival order decides, not the clock.
        Assert.Equal(["Late", "Later"], b.Ranking().Select(e => e.Team));
    }

    [Fact]
    public void AResubmissionShouldReplaceTheEntryOnlyWhenStrictlyBetterAndKeepHistory()
    {
        var b = new Board();
        b.Add("A", "s1", M(0.80), T0);
        var worse = b.Add("A", "s2", M(0.70), T0.AddHours(1));
        Assert.False(worse.BecameBest);
        var tie = b.Add("A", "s3", M(0.80), T0.AddHours(2));
        Assert.False(tie.BecameBest);
        Assert.Equal("s1", b.Ranking()[0].Best.SubmissionId);
        var better = b.Add("A", "s4", M(0.85), T0.AddHours(3));
        Assert.True(better.BecameBest);
        Assert.Equal("s1", better.PreviousBest!.SubmissionId);
        var entry = Assert.Single(b.Ranking());
        Assert.Equal("s4", entry.Best.SubmissionId);
        Assert.Equal(["s1", "s2", "s3", "s4"], entry.History.Select(s => s.SubmissionId));
    }

    [Fact]
    public async Task ABoardShouldSurviveASaveAndLoadRoundTrip()
    {
        var b = new Board();
        b.Add("A", "s1", M(0.80), T0);
        b.Add("B", "s1", M(0.90), T0);
        b.Add("A", "s2", M(0.95), T0.AddDays(1));
        using var ms = new MemoryStream();
        await LeaderboardJson.SaveAsync(b, ms);
        ms.Position = 0;
        var loaded = await LeaderboardJson.LoadAsync(ms, "board.json");
        Assert.Equal(["A", "B"], loaded.Ranking().Select(e => e.Team));
        Assert.Equal(2, loaded.Ranking()[0].History.Count);
        Assert.Equal(b.NextSequence, loaded.NextSequence);
        Assert.Equal(T0.AddDays(1), loaded.Ranking()[0].Best.SubmittedAt);
        Assert.Equal(0.95, loaded.Ranking()[0].Best.Challenge);
    }

    [Fact]
    public void ADuplicateSubmissionIdOrABadNameShouldBeRefused()
    {
        var b = new Board();
        b.Add("A", "s1", M(0.8), T0);
        Assert.Equal(ScoringErrorReason.InvalidDocument, Assert.Throws<ScoringException>(() => b.Add("A", "s1", M(0.9), T0)).Reason);
        Assert.Throws<ScoringException>(() => b.Add(" ", "s1", M(0.9), T0));
        Assert.Throws<ScoringException>(() => b.Add("A\nB", "s9", M(0.9), T0));
        Assert.Throws<ScoringException>(() => b.Add("A", new string('x', 101), M(0.9), T0));
    }

    [Fact]
    public async Task TheSameUploadAddedTwiceShouldBeARepeatNotASecondEntryNorAnError()
    {
        var b = new Board();
        var first = b.Add("A", "s1", M(0.8), T0, source: "0x8D1");
        var again = b.Add("A", "s1", M(0.8), T0.AddMinutes(1), source: "0x8D1");

        Assert.False(first.Repeated);
        Assert.True(again.Repeated);
        Assert.Equal(first.Submission, again.Submission);
        Assert.Single(b.Ranking()[0].History);
        Assert.Equal(ScoringErrorReason.InvalidDocument, Assert.Throws<ScoringException>(() => b.Add("A", "s1", M(0.9), T0, source: "0x8D2")).Reason);

        using var ms = new MemoryStream();
        await LeaderboardJson.SaveAsync(b, ms);
        ms.Position = 0;
        var loaded = await LeaderboardJson.LoadAsync(ms, "board.json");
        Assert.True(loaded.Add("A", "s1", M(0.8), T0, source: "0x8D1").Repeated); // the source survives a save and load
    }

    [Fact]
    public void ASubmissionWithoutAChallengeScoreShouldNotBeRanked()
    {
        var ex = Assert.Throws<ScoringException>(() => new Board().Add("A", "s1", M(null), T0));
        Assert.Contains("cannot be ranked", ex.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"version\": 2, \"teams\": []}")]
    [InlineData("{\"version\": 1, \"teams\": [{\"team\": \"A\", \"history\": []}]}")]
    public async Task AMalformedBoardShouldBeAnError(string text)
    {
        using var ms = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var ex = await Assert.ThrowsAsync<ScoringException>(() => LeaderboardJson.LoadAsync(ms, "board.json"));
        Assert.StartsWith("board.json", ex.Message);
    }

    [Fact]
    public void HtmlShouldListTeamsInRankOrderAndEscapeNames()
    {
        var b = new Board();
        b.Add("<b>evil</b>", "s1", M(0.7), T0);
        b.Add("Good", "s1", M(0.9), T0);
        var html = LeaderboardHtmlWriter.Render(b);
        Assert.DoesNotContain("<b>evil</b>", html);
        Assert.Contains("&lt;b&gt;evil&lt;/b&gt;", html);
        Assert.True(html.IndexOf("Good", StringComparison.Ordinal) < html.IndexOf("evil", StringComparison.Ordinal));
        Assert.Contains("0.9000", html);
    }

    private static MetricsSummary M(double? challenge)
        => new(new Dictionary<string, double?> { ["challenge"] = challenge, ["paddleseg20"] = 0.5, ["paddleseg16"] = 0.5, ["vertebrae"] = challenge, ["discs"] = challenge }, 22);
}

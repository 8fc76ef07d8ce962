namespace MRISpineSeg.Cli.Tests.Scoring;

public sealed class LeaderboardCommandTests
{
    [Fact]
    public void AddThenRenderShouldRankTeamsAndKeepTheBetterResubmission()
    {
        using var f = new ScoringCliFixture();
        Assert.Equal(0, ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", f.Pred, "--out", f.File("weak.json")).Code);
        Assert.Equal(0, ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", f.Truth, "--out", f.File("perfect.json")).Code);
        var board = f.File("board.json");

        var first = ScoringCliFixture.Run("leaderboard", "add", "--board", board, "--team", "Alpha", "--submission", "a1", "--metrics", f.File("weak.json"));
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("first submission", first.Out);
        Assert.Equal(0, ScoringCliFixture.Run("leaderboard", "add", "--board", board, "--team", "Beta", "--submission", "b1", "--metrics", f.File("perfect.json")).Code);
        var better = ScoringCliFixture.Run("leaderboard", "add", "--board", board, "--team", "Alpha", "--submission", "a2", "--metrics", f.File("perfect.json"));
        Assert.Contains("improves on a1", better.Out);
        Assert.Contains("rank 2 of 2", better.Out);
        var worse = ScoringCliFixture.Run("leaderboard", "add", "--board", board, "--team", "Alpha", "--submission", "a3", "--metrics", f.File("weak.json"));
        Assert.Contains("not better than a2", worse.Out);

        var render = ScoringCliFixture.Run("leaderboard", "render", "--board", board, "--html", f.File("board.html"));
        Assert.True(render.Code == 0, render.Err);
        var html = File.ReadAllText(f.File("board.html"));
        Assert.True(html.IndexOf("Beta", StringComparison.Ordinal) < html.IndexOf("Alpha", StringComparison.Ordinal), "tie goes to the earlier submission");
        Assert.Contains(">3<", html);
    }

    [Fact]
    public void AddingAFileThatIsNotMetricsShouldFailNamingIt()
    {
        using var f = new ScoringCliFixture(1);
        File.WriteAllText(f.File("bad.json"), "{\"hello\": 1}");
        var (code, _, stderr) = ScoringCliFixture.Run("leaderboard", "add", "--board", f.File("b.json"), "--team", "A", "--submission", "1", "--metrics", f.File("bad.json"));
        Assert.Equal(1, code);
        Assert.Contains("bad.json", stderr);
        Assert.False(File.Exists(f.File("b.json")));
    }

    [Fact]
    public void RenderingABoardThatDoesNotExistShouldBeAUsageError()
    {
        using var f = new ScoringCliFixture(1);
        var (code, _, stderr) = ScoringCliFixture.Run("leaderboard", "render", "--board", f.File("none.json"), "--html", f.File("x.html"));
        Assert.NotEqual(0, code);
        Assert.Contains("none.json", stderr);
    }
}

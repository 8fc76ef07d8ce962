using System.Text;
using System.Text.Json;
using MRISpineSeg.Scoring.Conventions;
using MRISpineSeg.Scoring.Reports;

namespace MRISpineSeg.Scoring.Tests.Reports;

public sealed class ReportWritersTests
{
    [Fact]
    public async Task TheTeamViewShouldHoldOnlyMeansToFourDecimalsAndCountsAndSaySo()
    {
        // F4: per-case, per-structure Dice at full precision lets a submission recover hidden voxel counts.
        var report = SampleReport(surface: true);
        using var ms = new MemoryStream();
        await MetricsJsonWriter.WriteAsync(report, ms, ReportDetail.Team);
        using var doc = JsonDocument.Parse(ms.ToArray());
        var root = doc.RootElement;

        Assert.Equal("team", root.GetProperty("detail").GetString());
        Assert.False(root.TryGetProperty("case", out _));
        var agg = root.GetProperty("aggregates");
        foreach (var section in agg.EnumerateObject())
        {
            var entries = section.Name is "dice" or "hd95" or "assd" ? section.Value.EnumerateObject().Select(e => e.Value).ToList() : [section.Value];
            foreach (var e in entries)
            {
                Assert.Equal(["mean", "n"], e.EnumerateObject().Select(p => p.Name));
                if (e.GetProperty("mean").ValueKind == JsonValueKind.Number)
                {
                    var m = e.GetProperty("mean").GetDouble();
                    Assert.Equal(Math.Round(m, 4), m);
                }
            }
        }

        var html = HtmlReportWriter.Render(report, detail: ReportDetail.Team);
        Assert.Contains("Team view", html);
        Assert.DoesNotContain("Case3", html);
        Assert.DoesNotContain("Worst cases", html);
        Assert.Contains("Full view", HtmlReportWriter.Render(report));
        Assert.Contains("Case3", HtmlReportWriter.Render(report));
    }

    [Fact]
    public async Task MetricsJsonShouldUseTheGrandChallengeLayoutWithNullsNeverNaN()
    {
        var json = await Json(SampleReport(surface: false));
        Assert.DoesNotContain("NaN", json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("background", root.GetProperty("labels").GetProperty("0").GetString());
        Assert.Equal("T9/T10", root.GetProperty("labels").GetProperty("19").GetString());
        var case3 = root.GetProperty("case").GetProperty("Case3");
        Assert.Equal(JsonValueKind.Null, case3.GetProperty("dice").GetProperty("5").ValueKind);
        Assert.Equal(0.5, case3.GetProperty("dice").GetProperty("1").GetDouble());
        foreach (var c in ScoringConventions.All) Assert.True(case3.TryGetProperty(c.Name, out _));
        Assert.False(case3.TryGetProperty("hd95", out _));
        var agg = root.GetProperty("aggregates");
        Assert.Equal(2, agg.GetProperty("challenge").GetProperty("n").GetInt32());
        var d5 = agg.GetProperty("dice").GetProperty("5");
        Assert.Equal(JsonValueKind.Null, d5.GetProperty("mean").ValueKind);
        Assert.Equal(0, d5.GetProperty("n").GetInt32());
        var d1 = agg.GetProperty("dice").GetProperty("1");
        Assert.Equal(0.75, d1.GetProperty("mean").GetDouble());
        Assert.Equal(0.25, d1.GetProperty("std").GetDouble());
        Assert.Equal(0.5, d1.GetProperty("min").GetDouble());
        Assert.Equal(1.0, d1.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task MetricsJsonShouldCarrySurfaceMetricsOnlyWhenComputed()
    {
        using var doc = JsonDocument.Parse(await Json(SampleReport(surface: true)));
        var hd = doc.RootElement.GetProperty("case").GetProperty("Case3").GetProperty("hd95");
        Assert.Equal(2.2, hd.GetProperty("1").GetDouble());
        Assert.Equal(JsonValueKind.Null, hd.GetProperty("2").ValueKind);
        Assert.True(doc.RootElement.GetProperty("aggregates").TryGetProperty("assd", out _));
    }

    [Fact]
    public async Task MetricsSummaryShouldReadBackTheMeans()
    {
        var report = SampleReport(surface: false);
        using var ms = new MemoryStream(Encoding.UTF8.GetBytes(await Json(report)));
        var summary = await MetricsSummary.ReadAsync(ms, "metrics.json");
        Assert.Equal(report.ChallengeMean, summary.Challenge);
        Assert.Equal(2, summary.Cases);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"case\": {}}", "no \"aggregates\"")]
    [InlineData("{\"case\": {}, \"aggregates\": {\"challenge\": {\"mean\": 3}}}", "expected a Dice in 0..1")]
    public async Task MalformedMetricsShouldBeAnErrorSayingWhatIsWrong(string text, string expected)
    {
        using var ms = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var ex = await Assert.ThrowsAsync<ScoringException>(() => MetricsSummary.ReadAsync(ms, "m.json"));
        Assert.Equal(ScoringErrorReason.InvalidDocument, ex.Reason);
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith("m.json", ex.Message);
    }

    [Fact]
    public async Task CsvShouldHaveOneRowPerCaseAndLabelWithEmptyCellsForUndefined()
    {
        using var ms = new MemoryStream();
        await CsvReportWriter.WriteAsync(SampleReport(surface: true), ms);
        var lines = Encoding.UTF8.GetString(ms.ToArray()).TrimEnd('\n').Split('\n');
        Assert.Equal("case,label,name,dice,hd95_mm,assd_mm", lines[0]);
        Assert.Equal(1 + (2 * 20), lines.Length);
        Assert.Contains("Case3,1,S,0.5,2.2,1.1", lines);
        Assert.Contains("Case3,5,L2,,,", lines);
        Assert.Contains("Case3,11,L5/S,,,", lines);
    }

    [Fact]
    public void HtmlShouldBeSelfContainedWithAChartWorstCasesAndConventions()
    {
        var html = HtmlReportWriter.Render(SampleReport(surface: true));
        Assert.Contains("<svg", html);
        Assert.Contains("Worst cases", html);
        foreach (var c in ScoringConventions.All) Assert.Contains(System.Net.WebUtility.HtmlEncode(c.Summary), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, CountOf(html, "http"));
        Assert.Contains("0.7500", html);
        Assert.Contains("HD95", html);
    }

    [Fact]
    public void HtmlWorstCasesShouldListTheLowestChallengeScoreFirst()
    {
        var html = HtmlReportWriter.Render(SampleReport(surface: false));
        var worst = html[html.IndexOf("Worst cases", StringComparison.Ordinal)..];
        Assert.True(worst.IndexOf("Case3", StringComparison.Ordinal) < worst.IndexOf("Case8", StringComparison.Ordinal));
        Assert.Contains("S 0.5000", worst);
    }

    /// <summary>Two cases: Case3 has S at 0.5 and L5/S absent; Case8 has S at 1.0.</summary>
    internal static ScoreReport SampleReport(bool surface)
    {
        CaseScore Case(int id, double s)
        {
            var dice = new double?[20];
            dice[0] = 0.99;
            dice[1] = s;
            var conv = ScoringConventions.All.ToDictionary(c => c.Name, c => c.Score(dice));
            var hd = new double?[20];
            hd[1] = 2.2;
            var assd = new double?[20];
            assd[1] = 1.1;
            return surface ? new CaseScore(id, dice, conv, hd, assd) : new CaseScore(id, dice, conv);
        }

        return new ScoreReport([Case(8, 1.0), Case(3, 0.5)], surface, geometryChecked: true);
    }

    private static async Task<string> Json(ScoreReport report)
    {
        using var ms = new MemoryStream();
        await MetricsJsonWriter.WriteAsync(report, ms);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static int CountOf(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}

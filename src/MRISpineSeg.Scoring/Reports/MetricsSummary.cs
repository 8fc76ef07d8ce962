using System.Text.Json;
using MRISpineSeg.Scoring.Conventions;

namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// The headline of a metrics.json as a leaderboard needs it: each convention's mean over cases and the case count.
/// Reading validates the layout, so a hand-edited or truncated file is an error that names what is wrong.
/// </summary>
public sealed record MetricsSummary(IReadOnlyDictionary<string, double?> Means, int Cases)
{
    /// <summary>The ranking key: the challenge convention's mean.</summary>
    public double? Challenge => Means[ScoringConventions.Challenge.Name];

    public static MetricsSummary From(ScoreReport report)
        => new(report.Conventions.ToDictionary(kv => kv.Key, kv => kv.Value.Mean), report.Cases.Count);

    public static async Task<MetricsSummary> ReadAsync(Stream stream, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw Invalid(description, $"is not valid JSON ({ex.Message})", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("aggregates", out var agg) || agg.ValueKind != JsonValueKind.Object)
                throw Invalid(description, "has no \"aggregates\" object; give the metrics.json that 'spineseg score --out' wrote");
            if (!root.TryGetProperty("case", out var cases) || cases.ValueKind != JsonValueKind.Object)
                throw Invalid(description, "has no \"case\" object; give the metrics.json that 'spineseg score --out' wrote");
            var means = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var c in ScoringConventions.All)
            {
                if (!agg.TryGetProperty(c.Name, out var a) || a.ValueKind != JsonValueKind.Object || !a.TryGetProperty("mean", out var m))
                    throw Invalid(description, $"has no aggregates.{c.Name}.mean");
                means[c.Name] = m.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.Number when m.GetDouble() is >= 0 and <= 1 => m.GetDouble(),
                    _ => throw Invalid(description, $"aggregates.{c.Name}.mean is {m.GetRawText()}; expected a Dice in 0..1 or null"),
                };
            }

            return new MetricsSummary(means, cases.EnumerateObject().Count());
        }
    }

    private static ScoringException Invalid(string description, string problem, Exception? inner = null)
        => new(ScoringErrorReason.InvalidDocument, $"{description}: {problem}", inner: inner);
}

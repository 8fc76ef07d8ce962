using System.Globalization;
using System.Text.Json;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Scoring.Conventions;

namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// Writes metrics.json in Grand Challenge's layout:
/// <code>
/// { "labels": {"0": "background", ...},
///   "case": {"Case12": {"dice": {"0": x, "1": x|null, ...}, "challenge": x, "paddleseg20": x, ..., ["hd95": {...}, "assd": {...}]}},
///   "aggregates": {"challenge": {"mean","std","n"}, ..., "dice": {"0": {"mean","std","min","max","n"}, ...}, ["hd95": ..., "assd": ...]} }
/// </code>
/// Undefined values are JSON <c>null</c>, never NaN. Numbers are written in shortest round-trip form. A first field
/// <c>"detail"</c> says which <see cref="ReportDetail"/> is in force: <c>"full"</c> as above, or <c>"team"</c>, which
/// has no <c>"case"</c> section and, in the aggregates, only <c>"mean"</c> (rounded to 4 decimals) and <c>"n"</c>.
/// </summary>
public static class MetricsJsonWriter
{
    /// <summary>Decimals of every number in a <see cref="ReportDetail.Team"/> report.</summary>
    public const int TeamDecimals = 4;

    public static Task WriteAsync(ScoreReport report, Stream stream, CancellationToken cancellationToken = default)
        => WriteAsync(report, stream, ReportDetail.Full, cancellationToken);

    public static async Task WriteAsync(ScoreReport report, Stream stream, ReportDetail detail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        await using (writer.ConfigureAwait(false))
        {
            Write(report, writer, detail);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes to a file atomically (temporary sibling, then rename).</summary>
    public static Task WriteAsync(ScoreReport report, string path, CancellationToken cancellationToken = default)
        => AtomicFile.WriteAsync(path, s => WriteAsync(report, s, cancellationToken), cancellationToken);

    private static void Write(ScoreReport report, Utf8JsonWriter w, ReportDetail detail)
    {
        var team = detail == ReportDetail.Team;
        w.WriteStartObject();
        w.WriteString("detail", team ? "team" : "full");
        w.WriteStartObject("labels");
        for (var c = 0; c < SpineLabels.Count; c++) w.WriteString(Key(c), SpineLabels.Name(c));
        w.WriteEndObject();

        if (!team) WriteCases(report, w);
        WriteAggregates(report, w, team);
        w.WriteEndObject();
    }

    private static void WriteCases(ScoreReport report, Utf8JsonWriter w)
    {
        w.WriteStartObject("case");
        foreach (var s in report.Cases)
        {
            w.WriteStartObject(s.Name);
            PerLabel(w, "dice", s.Dice);
            foreach (var c in ScoringConventions.All) Number(w, c.Name, s.Conventions[c.Name]);
            if (s.Hd95 is not null) PerLabel(w, "hd95", s.Hd95);
            if (s.Assd is not null) PerLabel(w, "assd", s.Assd);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteAggregates(ScoreReport report, Utf8JsonWriter w, bool team)
    {
        w.WriteStartObject("aggregates");
        foreach (var c in ScoringConventions.All)
        {
            var a = report.Conventions[c.Name];
            w.WriteStartObject(c.Name);
            Number(w, "mean", team ? Round(a.Mean) : a.Mean);
            if (!team) Number(w, "std", a.Std);
            w.WriteNumber("n", a.N);
            w.WriteEndObject();
        }

        PerLabelAggregates(w, "dice", report.Dice, team);
        if (report.Hd95 is not null) PerLabelAggregates(w, "hd95", report.Hd95, team);
        if (report.Assd is not null) PerLabelAggregates(w, "assd", report.Assd, team);
        w.WriteEndObject();
    }

    private static double? Round(double? v) => v is { } d && double.IsFinite(d) ? Math.Round(d, TeamDecimals, MidpointRounding.AwayFromZero) : v;

    private static void PerLabel(Utf8JsonWriter w, string name, IReadOnlyList<double?> values)
    {
        w.WriteStartObject(name);
        for (var c = 0; c < values.Count; c++) Number(w, Key(c), values[c]);
        w.WriteEndObject();
    }

    private static void PerLabelAggregates(Utf8JsonWriter w, string name, IReadOnlyList<Aggregate> values, bool team)
    {
        w.WriteStartObject(name);
        for (var c = 0; c < values.Count; c++)
        {
            var a = values[c];
            w.WriteStartObject(Key(c));
            if (team)
            {
                Number(w, "mean", Round(a.Mean));
            }
            else
            {
                Number(w, "mean", a.Mean);
                Number(w, "std", a.Std);
                Number(w, "min", a.Min);
                Number(w, "max", a.Max);
            }

            w.WriteNumber("n", a.N);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value) => Imaging.IO.FiniteJson.Write(w, name, value);

    private static string Key(int label) => label.ToString(CultureInfo.InvariantCulture);
}

namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// Summary of one metric over the cases where it is defined: <see cref="N"/> such cases; mean, population standard
/// deviation (ddof 0), min and max, all null when <see cref="N"/> is 0.
/// </summary>
public sealed record Aggregate(double? Mean, double? Std, double? Min, double? Max, int N)
{
    public static Aggregate Of(IEnumerable<double?> values)
    {
        var v = values.Where(x => x.HasValue).Select(x => x!.Value).ToArray();
        if (v.Length == 0) return new Aggregate(null, null, null, null, 0);
        double sum = 0;
        foreach (var x in v) sum += x;
        var mean = sum / v.Length;
        double ss = 0;
        foreach (var x in v) ss += (x - mean) * (x - mean);
        return new Aggregate(mean, Math.Sqrt(ss / v.Length), v.Min(), v.Max(), v.Length);
    }
}

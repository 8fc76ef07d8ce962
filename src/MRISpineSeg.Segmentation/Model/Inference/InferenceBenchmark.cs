using System.Diagnostics;
using System.Globalization;

namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>What <see cref="InferenceBenchmark.Run"/> measured: wall and CPU seconds per run (run 0 is the warm-up), resident memory, and the last run's labels.</summary>
public sealed record InferenceBenchmarkResult(double[] Seconds, double[] CpuSeconds, long RssAfterLoadKb, long PeakRssKb, byte[] Labels)
{
    /// <summary>The runs after the warm-up.</summary>
    public ReadOnlySpan<double> Warm => Seconds.AsSpan(1);

    public double WarmMedian
    {
        get
        {
            var warm = Seconds[1..];
            Array.Sort(warm);
            return warm[warm.Length / 2];
        }
    }

    /// <summary>Memory inference adds over the loaded model (kB); -1 where /proc is not available.</summary>
    public long InferenceAddsKb => RssAfterLoadKb < 0 || PeakRssKb < 0 ? -1 : PeakRssKb - RssAfterLoadKb;

    /// <summary>The fraction of voxels on which <paramref name="reference"/> (labels of another run) agrees.</summary>
    public long CountAgreeing(ReadOnlySpan<byte> reference)
    {
        if (reference.Length != Labels.Length)
            throw new ArgumentException($"the reference holds {reference.Length} labels, this run {Labels.Length}", nameof(reference));
        var same = 0L;
        for (var i = 0; i < Labels.Length; i++) same += reference[i] == Labels[i] ? 1 : 0;
        return same;
    }
}

/// <summary>
/// Times warm inference of a loaded network on deterministic random input at its grid: one warm-up run, then
/// <c>runs</c> timed ones, each with its process CPU time, and the resident-set peak during inference only (Linux:
/// <c>/proc/self/status</c> VmRSS/VmHWM, with VmHWM reset through <c>/proc/self/clear_refs</c>; -1 elsewhere).
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>Runs the benchmark; returns null when <paramref name="cancellationToken"/> stopped it (nothing measured is reported).</summary>
    public static InferenceBenchmarkResult? Run(ISegmentationNetwork network, int runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var grid = network.Manifest.InputGrid;
        var input = new float[grid.Count];
        var rng = new Random(1);
        for (var i = 0; i < input.Length; i++) input[i] = (float)rng.NextDouble();
        GC.Collect();
        var rssLoaded = ProcStatusKb("VmRSS");
        ResetPeakRss();
        var times = new double[runs + 1];
        var cpu = new double[runs + 1];
        var labels = Array.Empty<byte>();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i <= runs; i++)
        {
            if (cancellationToken.IsCancellationRequested) return null;
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            labels = network.PredictLabels(input);
            times[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
            self.Refresh();
            cpu[i] = (self.TotalProcessorTime - cpu0).TotalSeconds;
        }

        return new InferenceBenchmarkResult(times, cpu, rssLoaded, ProcStatusKb("VmHWM"), labels);
    }

    /// <summary>A field of /proc/self/status in kB (Linux), or -1 elsewhere.</summary>
    private static long ProcStatusKb(string field)
    {
        if (!File.Exists("/proc/self/status")) return -1;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }

        return -1;
    }

    /// <summary>Writing 5 to clear_refs resets VmHWM (Linux 4.0+), so the peak covers inference only.</summary>
    private static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not permitted: the peak then includes loading.
        }
    }
}

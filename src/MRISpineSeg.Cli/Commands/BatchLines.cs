using System.Diagnostics;
using System.Globalization;
using MRISpineSeg.Segmentation.Batch;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// How a folder run reports itself: one line per case on stdout (a failure on stderr, with its reason), and on a
/// terminal a progress bar with an ETA on the last stderr line, redrawn as cases start and finish. The ETA is the mean
/// time of the cases segmented so far times the cases left (skipped cases cost nothing and are not counted).
/// </summary>
internal sealed class BatchLines(CommandIO io, int total, bool interactive) : IProgress<BatchEvent>
{
    private const int BarWidth = 24;
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _done;
    private int _worked;
    private TimeSpan _workTime;
    private bool _barShown;

    public void Report(BatchEvent e)
    {
        var tag = $"[{e.Index + 1}/{e.Total}]";
        switch (e.Outcome)
        {
            case BatchOutcome.Started:
                if (interactive) DrawBar(e.Case.Name);
                return;
            case BatchOutcome.Segmented:
                Line(io.Out, $"{tag} {e.Case.Name} -> {e.Case.Mask}: {e.Stats!.Structures.Count} structures, {e.Stats.Orientation}, {SegmentCommand.Ms(e.Elapsed)}");
                _worked++;
                _workTime += e.Elapsed;
                break;
            case BatchOutcome.Skipped:
                Line(io.Out, $"{tag} {e.Case.Name}: skipped, {Path.GetFileName(e.Case.Mask)} and its files exist (--overwrite redoes it)");
                break;
            case BatchOutcome.Failed:
                Line(io.Error, $"{tag} FAILED {e.Case.Name}: {e.Error}");
                _worked++;
                _workTime += e.Elapsed;
                break;
        }

        _done++;
        if (interactive && _done < total) DrawBar(null);
    }

    /// <summary>Removes the bar before the summary line.</summary>
    public void Clear()
    {
        if (_barShown) io.Error.Write("\r\u001b[K");
        _barShown = false;
    }

    private void Line(TextWriter writer, string text)
    {
        Clear();
        writer.WriteLine(text);
        writer.Flush();
    }

    private void DrawBar(string? current)
    {
        var filled = total == 0 ? BarWidth : _done * BarWidth / total;
        var left = total - _done;
        var eta = _worked == 0 ? "ETA --:--" : "ETA " + Clock(_workTime / _worked * left);
        var elapsed = Clock(Stopwatch.GetElapsedTime(_started));
        io.Error.Write($"\r\u001b[K  [{new string('#', filled)}{new string('.', BarWidth - filled)}] {_done}/{total}  {elapsed}  {eta}{(current is null ? string.Empty : "  " + current)}");
        io.Error.Flush();
        _barShown = true;
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
}

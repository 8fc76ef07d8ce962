using MRISpineSeg.Segmentation.Outputs;
using System.Diagnostics;

namespace MRISpineSeg.Segmentation.Batch;

/// <summary>
/// Runs a <see cref="BatchPlan"/> with one loaded <see cref="Segmenter"/> (the model is loaded once for the whole
/// folder). Each case is independent: a scan that fails is reported with its reason and the run goes on; a case whose
/// outputs all exist is skipped unless <c>overwrite</c>. Every output is written atomically (a temporary sibling renamed
/// into place), so cancelling — Ctrl-C — stops at once, leaves no temporary file, and keeps the cases already finished.
/// </summary>
public static class BatchRunner
{
    public static async Task<BatchSummary> RunAsync(
        Segmenter segmenter,
        BatchPlan plan,
        bool overwrite,
        IProgress<BatchEvent>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(plan);
        var started = Stopwatch.GetTimestamp();
        int segmented = 0, skipped = 0;
        var failures = new List<(BatchCase, string)>();
        var total = plan.Cases.Count;
        var interrupted = false;
        for (var i = 0; i < total; i++)
        {
            var c = plan.Cases[i];
            if (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }

            if (!overwrite && c.IsComplete)
            {
                skipped++;
                progress?.Report(new BatchEvent(c, i, total, BatchOutcome.Skipped, TimeSpan.Zero));
                continue;
            }

            progress?.Report(new BatchEvent(c, i, total, BatchOutcome.Started, TimeSpan.Zero));
            var caseStarted = Stopwatch.GetTimestamp();
            var written = new List<string>(3);
            try
            {
                var result = await segmenter.SegmentFileAsync(c.Input, progress: null, cancellationToken).ConfigureAwait(false);
                var stats = await ResultFiles.WriteAsync(result, new ResultPaths(c.Mask, c.Preview, c.Stats), written, cancellationToken).ConfigureAwait(false);
                segmented++;
                progress?.Report(new BatchEvent(c, i, total, BatchOutcome.Segmented, Stopwatch.GetElapsedTime(caseStarted), stats));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // A half-written case is removed whole, so a re-run does it again instead of skipping it.
                DeletePartial(written);
                interrupted = true;
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                DeletePartial(written);
                var reason = Describe(ex);
                failures.Add((c, reason));
                progress?.Report(new BatchEvent(c, i, total, BatchOutcome.Failed, Stopwatch.GetElapsedTime(caseStarted), Error: reason));
            }
        }

        return new BatchSummary(total, segmented, skipped, failures, interrupted, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Removes what this attempt wrote for a case that did not finish (a mask written before its preview failed), so
    /// "all outputs exist" keeps meaning "finished".
    /// </summary>
    private static void DeletePartial(List<string> written)
    {
        foreach (var path in written)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Left in place; the case is reported as failed or interrupted either way.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>One line: our exceptions say what was wrong and what would be valid; anything else is named by type.</summary>
    private static string Describe(Exception ex)
    {
        var message = ex.Message.ReplaceLineEndings(" ").Trim();
        return ex switch
        {
            SegmentationException or Imaging.VolumeFormatException => message,
            IOException or UnauthorizedAccessException => message,
            _ => $"{ex.GetType().Name}: {message}",
        };
    }
}

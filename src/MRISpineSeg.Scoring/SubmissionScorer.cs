using MRISpineSeg.Imaging.Labels;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Reports;

namespace MRISpineSeg.Scoring;

/// <summary>
/// Scores a prediction set against ground truth by the MRSpineSeg rules (docs/design.md §5). Cases run in parallel, each
/// holding only its own two masks, so memory stays at a few cases whatever the submission size.
/// </summary>
public static class SubmissionScorer
{
    /// <summary>
    /// Scores every case, or throws one <see cref="ScoringException"/> that lists every offending case: missing or
    /// extra predictions first (no voxels are read then), otherwise every shape, geometry, label and read problem.
    /// </summary>
    public static async Task<ScoreReport> ScoreAsync(
        ISubmissionSource truth,
        ISubmissionSource predictions,
        ScoringOptions? options = null,
        IProgress<ScoringProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predictions);
        options ??= ScoringOptions.Default;
        if (options.MaxDegreeOfParallelism < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxDegreeOfParallelism must be at least 1");
        var pairs = Match(truth, predictions);
        var scores = new CaseScore?[pairs.Count];
        var problems = new List<CaseProblem>?[pairs.Count];
        var done = 0;
        progress?.Report(new ScoringProgress(0, pairs.Count));
        var readers = new System.Collections.Concurrent.ConcurrentBag<(LabelMaskDecoder Truth, LabelMaskDecoder Prediction)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, pairs.Count), parallel, (i, ct) =>
        {
            var found = new List<CaseProblem>();
            if (!readers.TryTake(out var r)) r = (new LabelMaskDecoder(), new LabelMaskDecoder());
            scores[i] = CaseEvaluator.Evaluate(pairs[i].Truth, pairs[i].Prediction, options, found, r.Truth, r.Prediction);
            readers.Add(r);
            problems[i] = found;
            progress?.Report(new ScoringProgress(Interlocked.Increment(ref done), pairs.Count));
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

        var all = problems.SelectMany(p => p!).ToList();
        if (all.Count > 0)
        {
            var cases = all.Select(p => p.Case).Distinct().Count();
            throw new ScoringException(all[0].Reason, $"{cases} of {pairs.Count} cases cannot be scored: {string.Join("; ", all)}", all);
        }

        return new ScoreReport(scores.Select(s => s!).ToList(), options.SurfaceMetrics, !options.IgnoreGeometry);
    }

    private static List<(MaskFile Truth, MaskFile Prediction)> Match(ISubmissionSource truth, ISubmissionSource predictions)
    {
        var byId = predictions.Masks.ToDictionary(m => m.CaseId);
        var truthIds = truth.Masks.Select(m => m.CaseId).ToHashSet();
        var missing = truth.Masks.Where(m => !byId.ContainsKey(m.CaseId)).Select(m => CaseNames.Display(m.CaseId)).ToList();
        var extra = predictions.Masks.Where(m => !truthIds.Contains(m.CaseId)).ToList();
        if (missing.Count == 0 && extra.Count == 0) return truth.Masks.Select(t => (t, byId[t.CaseId])).ToList();
        var problems = missing.Select(c => new CaseProblem(ScoringErrorReason.MissingCase, c, "no prediction"))
            .Concat(extra.Select(m => new CaseProblem(ScoringErrorReason.ExtraCase, CaseNames.Display(m.CaseId), $"{m.Name} has no ground truth")))
            .ToList();
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"{missing.Count} missing prediction(s): {string.Join(", ", missing)}");
        if (extra.Count > 0) parts.Add($"{extra.Count} extra prediction(s) with no ground-truth case: {string.Join(", ", extra.Select(m => m.Name))}");
        throw new ScoringException(problems[0].Reason, $"{predictions.Description} does not match the ground truth ({truth.Masks.Count} cases): {string.Join("; ", parts)}", problems);
    }
}

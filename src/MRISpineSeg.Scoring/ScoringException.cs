namespace MRISpineSeg.Scoring;

/// <summary>
/// The single exception of the scoring layer. The message lists every offending case at once, so a team fixes its
/// submission in one round trip. It is never transient: a pipeline dead-letters it instead of retrying.
/// </summary>
public sealed class ScoringException : Exception
{
    public ScoringException(ScoringErrorReason reason, string message, IReadOnlyList<CaseProblem>? problems = null, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Problems = problems ?? [];
    }

    /// <summary>The kind of the (first) problem; <see cref="Problems"/> holds all of them when cases are at fault.</summary>
    public ScoringErrorReason Reason { get; }

    /// <summary>Every per-case problem found, in case order; empty for errors that are not about one case.</summary>
    public IReadOnlyList<CaseProblem> Problems { get; }

    /// <summary>Always false: bad submissions do not heal on retry.</summary>
    public bool IsTransient => false;
}

namespace MRISpineSeg.Pipeline.Failures;

/// <summary>
/// The decision for one failure: whether to try again, and the reason code that error reports, statuses and dead letters
/// carry (the library's reason enum value, e.g. <c>InvalidScan</c>, or a name for an exception of another kind).
/// </summary>
public readonly record struct RetryDecision(RetryKind Kind, string Reason)
{
    /// <summary>Attempts allowed for a <see cref="RetryKind.Bounded"/> failure before it counts as permanent.</summary>
    public const int BoundedAttempts = 3;

    /// <summary>Whether attempt number <paramref name="attempt"/> (1-based) that failed this way should be followed by another.</summary>
    public bool ShouldRetry(int attempt) => Kind switch
    {
        RetryKind.Transient => true,
        RetryKind.Bounded => attempt < BoundedAttempts,
        RetryKind.Permanent => false,
        _ => false,
    };
}

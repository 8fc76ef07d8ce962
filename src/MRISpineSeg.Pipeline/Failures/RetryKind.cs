namespace MRISpineSeg.Pipeline.Failures;

/// <summary>What to do with a failed attempt.</summary>
public enum RetryKind
{
    /// <summary>Never passes on retry (a bad scan, a bad zip, a refused name): report it now.</summary>
    Permanent,

    /// <summary>A service did not answer or asked us to come back (timeouts, 5xx, throttling): retry, within the delivery limit.</summary>
    Transient,

    /// <summary>
    /// Unknown, or a local fault that may or may not pass (I/O, memory): retry at most
    /// <see cref="RetryDecision.BoundedAttempts"/> times, then report it as permanent.
    /// </summary>
    Bounded,
}

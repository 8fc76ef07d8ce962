namespace MRISpineSeg.Pipeline.Outcomes;

/// <summary>What the scoring handler did with one submission blob.</summary>
public enum ScoreSubmissionOutcome
{
    /// <summary><c>scores/&lt;team&gt;/&lt;id&gt;.json</c> and <c>.html</c> written and the leaderboard updated.</summary>
    Scored,

    /// <summary>This exact upload (same ETag) was already scored: nothing rewritten.</summary>
    Duplicate,

    /// <summary>The submission could not be scored: <c>scores/&lt;team&gt;/&lt;id&gt;.error.json</c> says why (or the name was not a submission).</summary>
    Rejected,

    /// <summary>The blob was deleted before it could be read.</summary>
    Vanished,
}

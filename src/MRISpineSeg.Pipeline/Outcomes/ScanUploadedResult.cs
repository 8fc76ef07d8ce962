namespace MRISpineSeg.Pipeline.Outcomes;

/// <summary>The upload handler's answer: the outcome, the job id (null only when the blob vanished) and, when rejected, why.</summary>
public sealed record ScanUploadedResult(ScanUploadedOutcome Outcome, string? JobId, string? Reason = null);

namespace MRISpineSeg.Scoring;

/// <summary>Reported after each case: how many of <see cref="Total"/> are done.</summary>
public readonly record struct ScoringProgress(int Done, int Total);

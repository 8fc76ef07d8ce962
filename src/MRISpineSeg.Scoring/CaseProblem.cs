namespace MRISpineSeg.Scoring;

/// <summary>One reason why one case cannot be scored, e.g. <c>(ShapeMismatch, "Case3", "prediction 512x512x11, truth 512x512x12")</c>.</summary>
public sealed record CaseProblem(ScoringErrorReason Reason, string Case, string Detail)
{
    public override string ToString() => $"{Case}: {Detail}";
}

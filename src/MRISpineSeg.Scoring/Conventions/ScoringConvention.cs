namespace MRISpineSeg.Scoring.Conventions;

/// <summary>
/// One way of turning per-class Dice into a case score (docs/design.md §5). A class absent from both masks has no Dice
/// (null); <see cref="AbsentAsZero"/> says whether such a class counts as 0 (PaddleSeg's tables) or is skipped (the
/// challenge rule). A case whose classes are all skipped has no score (null) and is left out of the overall mean.
/// </summary>
public sealed record ScoringConvention(string Name, IReadOnlyList<int> Classes, bool AbsentAsZero, string Summary)
{
    /// <summary>The case score: mean Dice over <see cref="Classes"/> by this convention's rule; null when no class counts.</summary>
    public double? Score(ReadOnlySpan<double?> dice)
    {
        double sum = 0;
        var n = 0;
        foreach (var c in Classes)
        {
            var d = dice[c];
            if (d is { } v)
            {
                sum += v;
                n++;
            }
            else if (AbsentAsZero)
            {
                n++;
            }
        }

        return n == 0 ? null : sum / n;
    }
}

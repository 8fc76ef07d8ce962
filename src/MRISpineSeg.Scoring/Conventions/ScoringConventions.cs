namespace MRISpineSeg.Scoring.Conventions;

/// <summary>
/// The conventions every report carries, all computed from the same per-class Dice in one pass. The overall score of
/// each is the mean of its case scores over the cases where it is defined.
/// </summary>
public static class ScoringConventions
{
    /// <summary>The challenge site's and SpineParseNet's rule, the default and the leaderboard's ranking key.</summary>
    public static ScoringConvention Challenge { get; } = new(
        "challenge", Range(1, 19), AbsentAsZero: false,
        "Mean Dice over the 19 structures (1-19, background excluded); a structure absent from both masks is skipped.");

    public static ScoringConvention PaddleSeg20 { get; } = new(
        "paddleseg20", Range(0, 19), AbsentAsZero: true,
        "Mean Dice over all 20 classes including background, as PaddleSeg's table reports it; a class absent from both masks counts as 0.");

    public static ScoringConvention PaddleSeg16 { get; } = new(
        "paddleseg16", [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17], AbsentAsZero: true,
        "PaddleSeg's 16-class figure: background plus all structures except T10, T9, T10/T11 and T9/T10 (9, 10, 18, 19); absent counts as 0.");

    public static ScoringConvention Vertebrae { get; } = new(
        "vertebrae", Range(1, 10), AbsentAsZero: false,
        "Mean Dice over the vertebrae S to T9 (1-10); a vertebra absent from both masks is skipped.");

    public static ScoringConvention Discs { get; } = new(
        "discs", Range(11, 19), AbsentAsZero: false,
        "Mean Dice over the intervertebral discs L5/S to T9/T10 (11-19); a disc absent from both masks is skipped.");

    /// <summary>In report order; names are the keys used in metrics.json.</summary>
    public static IReadOnlyList<ScoringConvention> All { get; } = [Challenge, PaddleSeg20, PaddleSeg16, Vertebrae, Discs];

    private static int[] Range(int first, int last) => Enumerable.Range(first, last - first + 1).ToArray();
}

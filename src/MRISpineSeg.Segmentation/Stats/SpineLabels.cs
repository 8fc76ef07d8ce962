namespace MRISpineSeg.Segmentation.Stats;

/// <summary>
/// The MRSpineSeg label table (DESIGN §2): the raw mask value is the class index. 0 is background, 1–10 are vertebrae
/// (S, L5 … L1, T12 … T9), 11–19 are intervertebral discs (L5/S … T9/T10).
/// </summary>
public static class SpineLabels
{
    public const int Count = 20;

    public static IReadOnlyList<string> Names { get; } =
    [
        "background", "S", "L5", "L4", "L3", "L2", "L1", "T12", "T11", "T10", "T9",
        "L5/S", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1", "T11/T12", "T10/T11", "T9/T10",
    ];

    /// <summary>True for 1–10.</summary>
    public static bool IsVertebra(int label) => label is >= 1 and <= 10;

    /// <summary>True for 11–19.</summary>
    public static bool IsDisc(int label) => label is >= 11 and <= 19;
}

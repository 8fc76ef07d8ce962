namespace MRISpineSeg.Scoring;

/// <summary>
/// The MRSpineSeg label table: the raw mask value is the class index. Vertebrae are 1–10, intervertebral discs 11–19,
/// 0 is background. Any other value in a mask is an error.
/// </summary>
public static class SpineLabels
{
    /// <summary>Number of classes, background included (valid values are 0..<c>Count-1</c>).</summary>
    public const int Count = 20;

    private static readonly string[] NameTable =
    [
        "background", "S", "L5", "L4", "L3", "L2", "L1", "T12", "T11", "T10", "T9",
        "L5/S", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1", "T11/T12", "T10/T11", "T9/T10",
    ];

    /// <summary>Names indexed by label value.</summary>
    public static IReadOnlyList<string> Names => NameTable;

    public static string Name(int label) => NameTable[label];
}

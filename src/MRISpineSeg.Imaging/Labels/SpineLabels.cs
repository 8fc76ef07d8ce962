namespace MRISpineSeg.Imaging.Labels;

/// <summary>
/// The MRSpineSeg label table (docs/design.md §2): the raw mask value is the class index. 0 is background, 1–10 are the
/// vertebrae from the sacrum up (S, L5 … L1, T12 … T9) and 11–19 the discs between them (L5/S … T9/T10).
/// </summary>
public static class SpineLabels
{
    /// <summary>Number of classes including background.</summary>
    public const int Count = 20;

    /// <summary>Highest valid label value.</summary>
    public const byte Max = 19;

    private static readonly string[] NameTable =
    [
        "background",
        "S", "L5", "L4", "L3", "L2", "L1", "T12", "T11", "T10", "T9",
        "L5/S", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1", "T11/T12", "T10/T11", "T9/T10",
    ];

    /// <summary>Names by label value, index 0 = background.</summary>
    public static IReadOnlyList<string> Names => NameTable;

    public static string Name(int label) => label is >= 0 and < Count ? NameTable[label] : $"label {label}";

    public static bool IsVertebra(int label) => label is >= 1 and <= 10;

    public static bool IsDisc(int label) => label is >= 11 and <= 19;

    /// <summary>The disc directly above vertebra <paramref name="vertebra"/> (1 = S → 11 = L5/S), or 0 above T9.</summary>
    public static int DiscAbove(int vertebra) => vertebra is >= 1 and <= 9 ? vertebra + 10 : 0;
}

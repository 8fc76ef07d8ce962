namespace MRISpineSeg.Segmentation.Model;

/// <summary>MRSpineSeg label names by value (DESIGN §2): 0 background, 1–10 vertebrae S..T9, 11–19 discs L5/S..T9/T10.</summary>
public static class SpineClasses
{
    public static readonly IReadOnlyList<string> Names =
    [
        "background", "S", "L5", "L4", "L3", "L2", "L1", "T12", "T11", "T10", "T9",
        "L5/S", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1", "T11/T12", "T10/T11", "T9/T10",
    ];

    /// <summary>The MRSpineSeg names for 20 classes; otherwise <c>background</c>, <c>class_1</c>, … .</summary>
    public static IReadOnlyList<string> For(int numClasses)
    {
        if (numClasses == Names.Count) return Names;
        var names = new string[numClasses];
        names[0] = "background";
        for (var i = 1; i < numClasses; i++) names[i] = $"class_{i}";
        return names;
    }
}

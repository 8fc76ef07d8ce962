using MRISpineSeg.Imaging.Labels;

namespace MRISpineSeg.Segmentation.Model;

/// <summary>Class names a model manifest carries: the MRSpineSeg table (<see cref="SpineLabels"/>, docs/design.md §2) for 20 classes.</summary>
public static class SpineClasses
{
    /// <summary>The MRSpineSeg label names by value; the one table lives in <see cref="SpineLabels"/>.</summary>
    public static IReadOnlyList<string> Names => SpineLabels.Names;

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

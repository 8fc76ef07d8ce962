using MRISpineSeg.Imaging.Labels;

namespace MRISpineSeg.Segmentation.Model;

/// <summary>How a built model's classes are named.</summary>
public enum ClassNaming
{
    /// <summary>The MRSpineSeg table for 20 classes; generic names otherwise.</summary>
    Auto,

    /// <summary>The MRSpineSeg table's first N names: class i is MRSpineSeg label i (a model trained on part of the table).</summary>
    Spine,

    /// <summary><c>background</c>, <c>class_1</c>, … (a model whose labels mean something else).</summary>
    Generic,
}

/// <summary>Class names a model manifest carries: the MRSpineSeg table (<see cref="SpineLabels"/>, docs/design.md §2) or generic ones.</summary>
public static class SpineClasses
{
    /// <summary>The MRSpineSeg label names by value; the one table lives in <see cref="SpineLabels"/>.</summary>
    public static IReadOnlyList<string> Names => SpineLabels.Names;

    /// <summary>The names for <paramref name="numClasses"/> classes under <paramref name="naming"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Spine naming for more classes than the table has.</exception>
    public static IReadOnlyList<string> For(int numClasses, ClassNaming naming = ClassNaming.Auto)
    {
        if (naming == ClassNaming.Auto) naming = numClasses == Names.Count ? ClassNaming.Spine : ClassNaming.Generic;
        if (naming == ClassNaming.Spine)
        {
            if (numClasses > Names.Count)
                throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, $"{numClasses} classes cannot take MRSpineSeg names: the table has {Names.Count} (0 background, 1-10 vertebrae, 11-19 discs)");
            return numClasses == Names.Count ? Names : Names.Take(numClasses).ToArray();
        }

        var names = new string[numClasses];
        names[0] = "background";
        for (var i = 1; i < numClasses; i++) names[i] = $"class_{i}";
        return names;
    }
}

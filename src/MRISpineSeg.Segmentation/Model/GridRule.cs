using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model;

/// <summary>
/// A network's grid rule: every extent a multiple of a given step (e.g. 16 for four stride-2 levels, each halving
/// the grid and doubling it back). A grid that breaks it is refused naming the rule and the nearest grid that keeps it.
/// </summary>
public static class GridRule
{
    /// <summary>Null when every extent of <paramref name="grid"/> is a multiple of <paramref name="multiple"/>; else one line saying which are not and the nearest valid grid.</summary>
    public static string? Problem(Shape3 grid, Shape3 multiple)
    {
        if (grid.X % multiple.X == 0 && grid.Y % multiple.Y == 0 && grid.Z % multiple.Z == 0) return null;
        var rule = multiple.X == multiple.Y && multiple.Y == multiple.Z ? $"a multiple of {multiple.X}" : $"a multiple of {multiple.X},{multiple.Y},{multiple.Z} in turn";
        var n = Nearest(grid, multiple);
        return $"{grid.X},{grid.Y},{grid.Z} breaks the model's grid rule: every extent must be {rule}; the nearest valid grid is {n.X},{n.Y},{n.Z}";
    }

    /// <summary>Each extent rounded to the nearest multiple (halfway rounds up), and at least one multiple.</summary>
    public static Shape3 Nearest(Shape3 grid, Shape3 multiple)
        => new(Round(grid.X, multiple.X), Round(grid.Y, multiple.Y), Round(grid.Z, multiple.Z));

    private static int Round(int n, int m) => Math.Max(m, (int)(((long)n + (m / 2)) / m * m));
}

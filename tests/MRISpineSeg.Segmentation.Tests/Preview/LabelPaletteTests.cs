using MRISpineSeg.Segmentation.Preview;

namespace MRISpineSeg.Segmentation.Tests.Preview;

/// <summary>No two spine structures alike on the preview, measured as CIELAB ΔE76 (sRGB, D65).</summary>
public sealed class LabelPaletteTests
{
    private static readonly string[] Names = ["S", "L5", "L4", "L3", "L2", "L1", "T12", "T11", "T10", "T9", "L5/S", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1", "T11/T12", "T10/T11", "T9/T10"];

    [Fact]
    public void EveryTwoStructuresShouldDifferByAtLeast38()
    {
        for (var a = 1; a <= 19; a++)
        {
            for (var b = a + 1; b <= 19; b++)
            {
                var d = DeltaE(a, b);
                Assert.True(d >= 38, $"{Names[a - 1]} and {Names[b - 1]} differ by only ΔE {d:F1}");
            }
        }
    }

    [Fact]
    public void NeighboursInTheSpineShouldDifferByAtLeast60()
    {
        // Vertebrae 1..10 run S, L5, ..., T9 upwards; disc 11 + k lies between vertebrae 1 + k and 2 + k.
        var pairs = Enumerable.Range(1, 9).SelectMany(k => new[] { (k, k + 1), (10 + k, k), (10 + k, k + 1) });
        foreach (var (a, b) in pairs)
        {
            var d = DeltaE(a, b);
            Assert.True(d >= 60, $"neighbours {Names[a - 1]} and {Names[b - 1]} differ by only ΔE {d:F1}");
        }
    }

    [Fact]
    public void NoStructureShouldReadAsGreyTissue()
    {
        for (var label = 1; label <= 19; label++)
        {
            var (l, a, b) = Lab(LabelPalette.ColourOf(label));
            Assert.InRange(l, 40, 92);
            Assert.True(Math.Sqrt((a * a) + (b * b)) > 40, $"{Names[label - 1]} has chroma {Math.Sqrt((a * a) + (b * b)):F1}");
        }
    }

    private static double DeltaE(int a, int b)
    {
        var (l1, a1, b1) = Lab(LabelPalette.ColourOf(a));
        var (l2, a2, b2) = Lab(LabelPalette.ColourOf(b));
        return Math.Sqrt(((l1 - l2) * (l1 - l2)) + ((a1 - a2) * (a1 - a2)) + ((b1 - b2) * (b1 - b2)));
    }

    private static (double L, double A, double B) Lab(Rgb c)
    {
        static double Linear(byte v)
        {
            var u = v / 255.0;
            return u > 0.04045 ? Math.Pow((u + 0.055) / 1.055, 2.4) : u / 12.92;
        }

        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : (7.787 * t) + (16.0 / 116);
        var (r, g, b) = (Linear(c.R), Linear(c.G), Linear(c.B));
        var x = ((0.4124 * r) + (0.3576 * g) + (0.1805 * b)) / 0.95047;
        var y = (0.2126 * r) + (0.7152 * g) + (0.0722 * b);
        var z = ((0.0193 * r) + (0.1192 * g) + (0.9505 * b)) / 1.08883;
        return ((116 * F(y)) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
    }
}

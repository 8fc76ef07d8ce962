namespace MRISpineSeg.Segmentation.Preview;

/// <summary>
/// Overlay colours by label value; label 0 (background) is never drawn, labels past 19 (custom models) get evenly
/// spaced hues. Labels 1–19 were chosen in CIELAB (ΔE76, D65), starting from Trubetskoy's 20 distinct colours, so that
/// over a grey MR slice no two structures look alike:
/// <list type="bullet">
/// <item>every two of the 19 differ by ΔE ≥ 38 (the old list had S and L1/L2 both red at ΔE 19, T11/T12 and
/// T10/T11 at 18);</item>
/// <item>neighbours in the spine (a vertebra and its discs, two adjacent vertebrae) differ by ΔE ≥ 60 (63 as chosen);</item>
/// <item>every colour has lightness 40–92 and chroma above 40, so none reads as grey tissue.</item>
/// </list>
/// LabelPaletteTests checks all three.
/// </summary>
public static class LabelPalette
{
    private static readonly Rgb[] Fixed =
    [
        new(0, 0, 0), // background, unused
        new(230, 25, 75), // 1 S
        new(60, 180, 75), // 2 L5
        new(255, 225, 25), // 3 L4
        new(0, 130, 200), // 4 L3
        new(245, 130, 48), // 5 L2
        new(150, 45, 195), // 6 L1
        new(70, 240, 240), // 7 T12
        new(255, 0, 180), // 8 T11
        new(135, 0, 255), // 9 T10
        new(255, 30, 0), // 10 T9
        new(255, 0, 255), // 11 L5/S
        new(210, 150, 255), // 12 L4/L5
        new(135, 90, 30), // 13 L3/L4
        new(195, 225, 150), // 14 L2/L3
        new(165, 75, 105), // 15 L1/L2
        new(60, 105, 45), // 16 T12/L1
        new(135, 150, 0), // 17 T11/T12
        new(0, 255, 0), // 18 T10/T11
        new(0, 120, 255), // 19 T9/T10
    ];

    public static Rgb ColourOf(int label)
    {
        if (label >= 0 && label < Fixed.Length) return Fixed[label];
        var hue = (label * 137.508) % 360.0; // golden angle
        return FromHue(hue);
    }

    private static Rgb FromHue(double hue)
    {
        var h = hue / 60.0;
        var x = 1 - Math.Abs((h % 2) - 1);
        var (r, g, b) = (int)h switch
        {
            0 => (1.0, x, 0.0),
            1 => (x, 1.0, 0.0),
            2 => (0.0, 1.0, x),
            3 => (0.0, x, 1.0),
            4 => (x, 0.0, 1.0),
            _ => (1.0, 0.0, x),
        };
        return new Rgb((byte)(55 + (200 * r)), (byte)(55 + (200 * g)), (byte)(55 + (200 * b)));
    }
}

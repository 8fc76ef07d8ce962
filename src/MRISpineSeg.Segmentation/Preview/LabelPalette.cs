namespace MRISpineSeg.Segmentation.Preview;

/// <summary>
/// Overlay colours by label value. Labels 1–19 use twenty maximally distinct colours (Trubetskoy's list) ordered so a
/// vertebra and its neighbouring discs never share a hue family; label 0 (background) is never drawn; labels past 19
/// (custom models) get evenly spaced hues.
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
        new(145, 30, 180), // 6 L1
        new(70, 240, 240), // 7 T12
        new(240, 50, 230), // 8 T11
        new(210, 245, 60), // 9 T10
        new(250, 190, 212), // 10 T9
        new(0, 160, 160), // 11 L5/S
        new(220, 190, 255), // 12 L4/L5
        new(170, 110, 40), // 13 L3/L4
        new(255, 250, 200), // 14 L2/L3
        new(200, 40, 40), // 15 L1/L2
        new(170, 255, 195), // 16 T12/L1
        new(160, 160, 0), // 17 T11/T12
        new(255, 215, 180), // 18 T10/T11
        new(80, 80, 230), // 19 T9/T10
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

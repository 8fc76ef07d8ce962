namespace MRISpineSeg.Segmentation.Preview;

/// <summary>
/// Draws the preview PNG: the mid-sagittal slice in grey (windowed between two intensity percentiles), upright
/// (superior up, anterior left; see <see cref="SagittalView"/>) at its physical aspect ratio, the mask as a
/// semi-transparent overlay with opaque outlines in one colour per label (<see cref="LabelPalette"/>), the world
/// direction letters in a frame outside the panel (never drawn over the image or the mask), and a legend (colour
/// swatch and name) of the structures present.
/// </summary>
public static class PreviewRenderer
{
    private const int Margin = 12;
    private const int FontScale = 2;
    private const int RowHeight = 22;
    private const int Swatch = 16;
    private static readonly Rgb Background = new(24, 24, 28);
    private static readonly Rgb Text = new(225, 225, 225);
    private static readonly Rgb EdgeText = new(255, 210, 0);

    /// <summary>Renders <paramref name="slice"/> with a legend listing <paramref name="legend"/> (label, name) in order.</summary>
    public static byte[] RenderPng(SagittalSlice slice, IReadOnlyList<(int Label, string Name)> legend, PreviewOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(slice);
        ArgumentNullException.ThrowIfNull(legend);
        options ??= PreviewOptions.Default;
        var view = SagittalView.FromAffine(slice.Affine);
        var (nv, nh) = view.Extents(slice.Shape);
        var heightMm = nv * view.VerticalSpacing;
        var widthMm = nh * view.HorizontalSpacing;
        var pxPerMm = options.PanelSize / Math.Max(heightMm, widthMm);
        var panelH = Math.Max(1, (int)Math.Round(heightMm * pxPerMm));
        var panelW = Math.Max(1, (int)Math.Round(widthMm * pxPerMm));

        var lineH = BitmapFont.GlyphHeight * FontScale;
        var title = $"{options.Caption}{(string.IsNullOrEmpty(options.Caption) ? string.Empty : "   ")}MID-SAGITTAL {slice.SliceIndex} OF {slice.Shape.Z}";
        var legendTitle = legend.Count == 0 ? "NO STRUCTURES FOUND" : "STRUCTURES";
        var legendW = BitmapFont.MeasureWidth(legendTitle, FontScale);
        foreach (var (_, name) in legend) legendW = Math.Max(legendW, Swatch + 8 + BitmapFont.MeasureWidth(name, FontScale));
        var legendH = RowHeight * (legend.Count + 1);
        var (frameW, frameH) = (LetterFrame(BitmapFont.GlyphWidth), LetterFrame(BitmapFont.GlyphHeight));
        var top = Margin + lineH + Margin + frameH;
        var left = Margin + frameW;
        var width = Math.Max(left + panelW + frameW + Margin + legendW + Margin, BitmapFont.MeasureWidth(title, FontScale) + (2 * Margin));
        var height = Math.Max(top + panelH + frameH, top + legendH) + Margin;

        var canvas = new RgbCanvas(width, height, Background);
        BitmapFont.Draw(canvas, title, Margin, Margin, FontScale, Text);
        DrawPanel(canvas, slice, view, left, top, panelW, panelH, options);
        DrawEdgeLetters(canvas, view, left, top, panelW, panelH);

        var lx = left + panelW + frameW + Margin;
        BitmapFont.Draw(canvas, legendTitle, lx, top, FontScale, Text);
        for (var k = 0; k < legend.Count; k++)
        {
            var y = top + (RowHeight * (k + 1));
            canvas.FillRect(lx, y, Swatch, Swatch, LabelPalette.ColourOf(legend[k].Label));
            canvas.StrokeRect(lx, y, Swatch, Swatch, Text);
            BitmapFont.Draw(canvas, legend[k].Name, lx + Swatch + 8, y + 1, FontScale, Text);
        }

        return canvas.ToPng();
    }

    private static void DrawPanel(RgbCanvas canvas, SagittalSlice s, SagittalView view, int left, int top, int w, int h, PreviewOptions o)
    {
        var (lo, hi) = Window(s.Image, o.LowPercentile, o.HighPercentile);
        var (nv, nh) = view.Extents(s.Shape);
        var nx = s.Shape.X;
        var grey = new byte[w * h];
        var labels = new byte[w * h];
        for (var r = 0; r < h; r++)
        {
            var fv = (((r + 0.5) / h) * nv) - 0.5;
            if (view.VerticalIndexGrowsUp) fv = nv - 1 - fv;
            for (var c = 0; c < w; c++)
            {
                var fh = (((c + 0.5) / w) * nh) - 0.5;
                if (view.HorizontalIndexGrowsLeft) fh = nh - 1 - fh;
                var (fi, fj, ni, nj) = view.VerticalAxis == 1 ? (fh, fv, nh, nv) : (fv, fh, nv, nh);
                var value = Bilinear(s.Image, nx, fi, fj, ni, nj);
                var g = (value - lo) / (hi - lo);
                grey[(r * w) + c] = (byte)Math.Round(255 * Math.Clamp(g, 0, 1));
                var ii = (int)Math.Round(Math.Clamp(fi, 0, ni - 1));
                var jj = (int)Math.Round(Math.Clamp(fj, 0, nj - 1));
                labels[(r * w) + c] = s.Mask[ii + (nx * jj)];
            }
        }

        var alpha = Math.Clamp(o.OverlayOpacity, 0, 1);
        for (var r = 0; r < h; r++)
        {
            for (var c = 0; c < w; c++)
            {
                var k = (r * w) + c;
                var g = grey[k];
                var label = labels[k];
                if (label == 0)
                {
                    canvas.Set(left + c, top + r, new Rgb(g, g, g));
                    continue;
                }

                var colour = LabelPalette.ColourOf(label);
                var edge = (c > 0 && labels[k - 1] != label) || (c < w - 1 && labels[k + 1] != label)
                        || (r > 0 && labels[k - w] != label) || (r < h - 1 && labels[k + w] != label);
                var a = edge ? 1.0 : alpha;
                canvas.Set(left + c, top + r, new Rgb(Blend(g, colour.R, a), Blend(g, colour.G, a), Blend(g, colour.B, a)));
            }
        }
    }

    /// <summary>The band around the panel that holds a direction letter: the glyph and 4 px on each side.</summary>
    private static int LetterFrame(int glyph) => (glyph * FontScale) + 8;

    /// <summary>Each world direction letter centred on its side of the panel, in the frame outside it.</summary>
    private static void DrawEdgeLetters(RgbCanvas canvas, SagittalView view, int left, int top, int w, int h)
    {
        var gw = BitmapFont.GlyphWidth * FontScale;
        var gh = BitmapFont.GlyphHeight * FontScale;
        var l = view.EdgeLetters;
        BitmapFont.Draw(canvas, l[0], left + ((w - gw) / 2), top - gh - 4, FontScale, EdgeText);
        BitmapFont.Draw(canvas, l[1], left + ((w - gw) / 2), top + h + 4, FontScale, EdgeText);
        BitmapFont.Draw(canvas, l[2], left - gw - 4, top + ((h - gh) / 2), FontScale, EdgeText);
        BitmapFont.Draw(canvas, l[3], left + w + 4, top + ((h - gh) / 2), FontScale, EdgeText);
    }

    /// <summary>The grey window: the given percentiles of the slice's intensities (never an empty range).</summary>
    internal static (double Lo, double Hi) Window(float[] image, double lowPercentile, double highPercentile)
    {
        var sorted = (float[])image.Clone();
        Array.Sort(sorted);
        double At(double p) => sorted[(int)Math.Round(Math.Clamp(p, 0, 100) / 100 * (sorted.Length - 1))];
        var lo = At(lowPercentile);
        var hi = At(highPercentile);
        if (!(hi > lo)) hi = lo + 1;
        return (lo, hi);
    }

    private static double Bilinear(float[] img, int stride, double fi, double fj, int ni, int nj)
    {
        fi = Math.Clamp(fi, 0, ni - 1);
        fj = Math.Clamp(fj, 0, nj - 1);
        var i0 = (int)fi;
        var j0 = (int)fj;
        var i1 = Math.Min(i0 + 1, ni - 1);
        var j1 = Math.Min(j0 + 1, nj - 1);
        var ti = fi - i0;
        var tj = fj - j0;
        var a = (img[i0 + (stride * j0)] * (1 - ti)) + (img[i1 + (stride * j0)] * ti);
        var b = (img[i0 + (stride * j1)] * (1 - ti)) + (img[i1 + (stride * j1)] * ti);
        return (a * (1 - tj)) + (b * tj);
    }

    private static byte Blend(byte grey, byte colour, double alpha) => (byte)Math.Round((grey * (1 - alpha)) + (colour * alpha));
}

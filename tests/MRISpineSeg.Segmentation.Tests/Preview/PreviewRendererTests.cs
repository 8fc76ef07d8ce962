using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Preview;

namespace MRISpineSeg.Segmentation.Tests.Preview;

public sealed class PreviewRendererTests
{
    // PSR, qfac -1, as MRSpineSeg files: axis 0 -> posterior, axis 1 -> superior, axis 2 -> right.
    private static readonly Affine Psr = Affine.FromRows(0, 0, 4.4, -13.2, -0.6, 0, 0, 40, 0, 0.65, 0, -90);

    [Fact]
    public void PsrViewShouldPutSuperiorUpAndAnteriorLeft()
    {
        var view = SagittalView.FromAffine(Psr);
        Assert.Equal(1, view.VerticalAxis);
        Assert.True(view.VerticalIndexGrowsUp);
        Assert.False(view.HorizontalIndexGrowsLeft);
        Assert.Equal(["S", "I", "A", "P"], view.EdgeLetters);
    }

    [Fact]
    public void FlippedAxesShouldFlipTheView()
    {
        // Axis 0 -> superior, axis 1 -> anterior (a transposed, flipped export).
        var view = SagittalView.FromAffine(Affine.FromRows(0, 0, 4, 0, 0, 0.5, 0, 0, 0.5, 0, 0, 0));
        Assert.Equal(0, view.VerticalAxis);
        Assert.True(view.VerticalIndexGrowsUp);
        Assert.True(view.HorizontalIndexGrowsLeft);
    }

    [Fact]
    public void AnAxialSliceShouldBeDrawnAnteriorUpAndRadiologicalRightOnLeft()
    {
        // LAS: axis 2 runs superior, so the axis-2 slice is axial; the letters must say so, not S/I.
        var view = SagittalView.FromAffine(Affine.FromRows(-0.7, 0, 0, 20, 0, 0.7, 0, -30, 0, 0, 3.5, 5));
        Assert.Equal(1, view.VerticalAxis);
        Assert.True(view.VerticalIndexGrowsUp);
        Assert.False(view.HorizontalIndexGrowsLeft);
        Assert.Equal(["A", "P", "R", "L"], view.EdgeLetters);
    }

    [Fact]
    public void PreviewShouldShowSuperiorStructuresAboveInferiorOnesAndListThemInTheLegend()
    {
        var shape = new Shape3(40, 60, 5);
        var image = new float[40 * 60];
        var mask = new byte[40 * 60];
        for (var j = 0; j < 60; j++)
        {
            for (var i = 0; i < 40; i++)
            {
                image[i + (40 * j)] = (i * 10) + j;
                // Sacrum (1) at low axis-1 index (inferior), T12 (7) at high index (superior), both anterior (low i).
                if (i is >= 2 and < 12 && j is >= 5 and < 15) mask[i + (40 * j)] = 1;
                if (i is >= 2 and < 12 && j is >= 45 and < 55) mask[i + (40 * j)] = 7;
            }
        }

        var png = PreviewRenderer.RenderPng(new SagittalSlice(image, mask, shape, 2, Psr), [(1, "S"), (7, "T12")], new PreviewOptions { PanelSize = 200, OverlayOpacity = 1 });
        var (w, h, rgb) = PngTestReader.Decode(png);

        var sacrum = Find(rgb, w, h, LabelPalette.ColourOf(1));
        var t12 = Find(rgb, w, h, LabelPalette.ColourOf(7));
        Assert.NotEmpty(sacrum);
        Assert.NotEmpty(t12);
        // The panel is 200 px high (60 * 0.65 mm is the longer side) and 123 px wide (40 * 0.6 mm), from x = 12 plus
        // the letter frame; legend swatches sit right of it.
        var panelRight = PanelLeft + 123;
        var panelSacrum = sacrum.Where(p => p.X < panelRight).ToList();
        var panelT12 = t12.Where(p => p.X < panelRight).ToList();
        Assert.True(panelT12.Average(p => p.Y) < panelSacrum.Average(p => p.Y), "T12 should be drawn above the sacrum");
        Assert.True(panelT12.Average(p => p.X) < PanelLeft + 60, "anterior structures should be on the left");
        Assert.Contains(sacrum, p => p.X > panelRight);
        Assert.Contains(t12, p => p.X > panelRight);
    }

    [Fact]
    public void DirectionLettersShouldBeDrawnOutsideThePanelNeverOverTheImageOrMask()
    {
        var shape = new Shape3(40, 60, 5);
        var mask = new byte[40 * 60];
        Array.Fill(mask, (byte)1);
        var image = Enumerable.Range(0, 40 * 60).Select(i => (float)(i % 97)).ToArray();
        var png = PreviewRenderer.RenderPng(new SagittalSlice(image, mask, shape, 2, Psr), [(1, "S")], new PreviewOptions { PanelSize = 200, OverlayOpacity = 1 });
        var (w, h, rgb) = PngTestReader.Decode(png);

        var letters = Find(rgb, w, h, new Rgb(255, 210, 0));
        var panelTop = 12 + (BitmapFont.GlyphHeight * 2) + 12 + (BitmapFont.GlyphHeight * 2) + 8;
        Assert.NotEmpty(letters);
        Assert.DoesNotContain(letters, p => p.X >= PanelLeft && p.X < PanelLeft + 123 && p.Y >= panelTop && p.Y < panelTop + 200);
        Assert.Contains(letters, p => p.Y < panelTop);          // S above
        Assert.Contains(letters, p => p.Y >= panelTop + 200);   // I below
        Assert.Contains(letters, p => p.X < PanelLeft);         // A left
        Assert.Contains(letters, p => p.X >= PanelLeft + 123);  // P right
        // The mask covers the whole slice, so the panel is sacrum-coloured edge to edge: nothing was drawn over it.
        Assert.Equal(123 * 200, Find(rgb, w, h, LabelPalette.ColourOf(1)).Count(p => p.X >= PanelLeft && p.X < PanelLeft + 123 && p.Y >= panelTop && p.Y < panelTop + 200));
    }

    [Fact]
    public void WindowShouldUseTheGivenPercentilesAndNeverBeEmpty()
    {
        var values = Enumerable.Range(0, 101).Select(i => (float)i).ToArray();
        Assert.Equal((1.0, 99.0), PreviewRenderer.Window(values, 1, 99));
        Assert.Equal((5.0, 6.0), PreviewRenderer.Window(Enumerable.Repeat(5f, 10).ToArray(), 1, 99));
    }

    /// <summary>Where the panel starts: the margin, then the frame that holds the left direction letter.</summary>
    private static int PanelLeft => 12 + (BitmapFont.GlyphWidth * 2) + 8;

    private static List<(int X, int Y)> Find(byte[] rgb, int w, int h, Rgb c)
    {
        var list = new List<(int, int)>();
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = ((y * w) + x) * 3;
                if (rgb[i] == c.R && rgb[i + 1] == c.G && rgb[i + 2] == c.B) list.Add((x, y));
            }
        }

        return list;
    }
}

namespace MRISpineSeg.Segmentation.Preview;

/// <summary>A row-major RGB image (top row first, 3 bytes per pixel) with the few drawing operations a preview needs.</summary>
internal sealed class RgbCanvas
{
    public RgbCanvas(int width, int height, Rgb background)
    {
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 3)];
        FillRect(0, 0, width, height, background);
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public void Set(int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        var i = ((y * Width) + x) * 3;
        Pixels[i] = c.R;
        Pixels[i + 1] = c.G;
        Pixels[i + 2] = c.B;
    }

    /// <summary>Fills the rectangle, clipped to the canvas.</summary>
    public void FillRect(int left, int top, int width, int height, Rgb c)
    {
        var x0 = Math.Max(0, left);
        var x1 = Math.Min(Width, left + width);
        var y0 = Math.Max(0, top);
        var y1 = Math.Min(Height, top + height);
        for (var y = y0; y < y1; y++)
        {
            var row = Pixels.AsSpan(((y * Width) + x0) * 3, (x1 - x0) * 3);
            for (var i = 0; i < row.Length; i += 3)
            {
                row[i] = c.R;
                row[i + 1] = c.G;
                row[i + 2] = c.B;
            }
        }
    }

    /// <summary>A one-pixel rectangle outline.</summary>
    public void StrokeRect(int left, int top, int width, int height, Rgb c)
    {
        FillRect(left, top, width, 1, c);
        FillRect(left, top + height - 1, width, 1, c);
        FillRect(left, top, 1, height, c);
        FillRect(left + width - 1, top, 1, height, c);
    }

    public byte[] ToPng() => PngEncoder.Encode(Pixels, Width, Height);
}

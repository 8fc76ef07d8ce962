namespace MRISpineSeg.Segmentation.Preview;

/// <summary>How the preview PNG is drawn.</summary>
public sealed record PreviewOptions
{
    public static PreviewOptions Default { get; } = new();

    /// <summary>The image panel's longer side in pixels; small scans are scaled up to it, large ones down.</summary>
    public int PanelSize { get; init; } = 640;

    /// <summary>Overlay opacity inside a structure (0–1); its outline is drawn opaque.</summary>
    public double OverlayOpacity { get; init; } = 0.4;

    /// <summary>Grey window: intensity percentiles mapped to black and white.</summary>
    public double LowPercentile { get; init; } = 1;

    public double HighPercentile { get; init; } = 99;

    /// <summary>Text drawn above the image, e.g. the scan's file name.</summary>
    public string? Caption { get; init; }
}

namespace MRISpineSeg.Segmentation.Batch;

/// <summary>Which per-case files a folder run writes besides each mask.</summary>
public readonly record struct BatchOutputs(bool Preview, bool Stats)
{
    public const string MaskSuffix = ".nii.gz";
    public const string PreviewSuffix = ".preview.png";
    public const string StatsSuffix = ".stats.json";
}

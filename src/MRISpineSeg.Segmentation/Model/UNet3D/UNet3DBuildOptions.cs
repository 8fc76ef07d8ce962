using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model.UNet3D;

/// <summary>What goes into a built UNet3D model's manifest besides what the weights determine.</summary>
public sealed class UNet3DBuildOptions
{
    /// <summary>
    /// The spine grid for UNet3D: 512×512×16. PaddleSeg's 512×512×12 breaks the grid rule (every extent a multiple of
    /// 16); 16 is the nearest valid z, and resampling 12 slices up to 16 loses nothing, where 0 is no option.
    /// </summary>
    public static readonly Shape3 SpineGrid = new(512, 512, 16);

    /// <summary>Manifest model id; default <c>unet3d-b{base}</c> plus <c>-random</c> for random weights.</summary>
    public string? ModelId { get; init; }

    /// <summary>Grid the graph is built for (x, y, z); every extent a multiple of 16.</summary>
    public Shape3 Grid { get; init; } = SpineGrid;

    /// <summary>Axis codes of the grid the weights were trained on (<see cref="ModelManifest.Orientation"/>).</summary>
    public string Orientation { get; init; } = ModelManifest.DefaultOrientation;

    /// <summary>Intensity clip divisor for preprocessing (PaddleSeg: 2650).</summary>
    public double ClipMax { get; init; } = 2650;

    /// <summary>How the classes are named in the manifest (<see cref="SpineClasses.For"/>).</summary>
    public ClassNaming ClassNaming { get; init; } = ClassNaming.Auto;

    /// <summary>The manifest's one line on the training data.</summary>
    public string? TrainingData { get; init; }

    /// <summary>The manifest's largest-component default.</summary>
    public bool KeepLargestComponent { get; init; }

    /// <summary>The manifest's level-ordering default (<see cref="ModelManifest.OrderLevels"/>).</summary>
    public bool OrderLevels { get; init; }
}

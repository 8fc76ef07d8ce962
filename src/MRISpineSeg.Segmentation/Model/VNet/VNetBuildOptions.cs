using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>What goes into a built model's manifest besides what the weights determine.</summary>
public sealed class VNetBuildOptions
{
    /// <summary>Manifest model id; default <c>vnet-w{width}-{activation}</c> plus <c>-random</c> for random weights.</summary>
    public string? ModelId { get; init; }

    /// <summary>Grid the graph is built for (x, y, z). PaddleSeg's spine config runs at 512×512×12.</summary>
    public Shape3 Grid { get; init; } = new(512, 512, 12);

    /// <summary>
    /// The full-resolution tail (the last up block and the output block) runs in this many slabs along x, each with
    /// a halo wide enough for its 5³ convolutions, and the slab results are concatenated. Only one slab's
    /// activations are alive at a time, which is where the network's memory peak is (about 3×400 MB at
    /// 512×512×12, width 16). The slabs compute exactly the same sums as the whole (up to float rounding); the halo
    /// recomputation costs about 3% more convolution work at 4 slabs. 1 disables slabbing.
    /// </summary>
    public int TailSlabs { get; init; } = 4;

    /// <summary>
    /// Each z tap of a convolution is computed only on the output slices where it meets real input, not on the zero
    /// z padding (<see cref="ZTapRegions"/>; about 16% of the multiply-adds at 512×512×12). False writes the older form,
    /// which multiplies the padding through; it is kept so the two can be compared (labels, speed).
    /// </summary>
    public bool SkipZPadding { get; init; } = true;

    /// <summary>Axis codes of the grid the weights were trained on (<see cref="ModelManifest.Orientation"/>; PaddleSeg: PSR).</summary>
    public string Orientation { get; init; } = ModelManifest.DefaultOrientation;

    /// <summary>Intensity clip divisor for preprocessing (PaddleSeg: 2650).</summary>
    public double ClipMax { get; init; } = 2650;

    /// <summary>How the classes are named in the manifest (<see cref="SpineClasses.For"/>).</summary>
    public ClassNaming ClassNaming { get; init; } = ClassNaming.Auto;

    /// <summary>The manifest's one line on the training data (<see cref="ModelManifest.TrainingData"/>).</summary>
    public string? TrainingData { get; init; }

    /// <summary>The manifest's largest-component default (<see cref="ModelManifest.KeepLargestComponent"/>).</summary>
    public bool KeepLargestComponent { get; init; }

    /// <summary>The manifest's level-ordering default (<see cref="ModelManifest.OrderLevels"/>).</summary>
    public bool OrderLevels { get; init; }
}

using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>What goes into a built model's manifest besides what the weights determine.</summary>
public sealed class VNetBuildOptions
{
    /// <summary>Manifest model id; default <c>vnet-w{width}-{activation}</c> plus <c>-random</c> for random weights.</summary>
    public string? ModelId { get; init; }

    /// <summary>Grid the graph is built for (x, y, z). PaddleSeg's spine config runs at 512×512×12.</summary>
    public Shape3 Grid { get; init; } = new(512, 512, 12);

    /// <summary>Intensity clip divisor for preprocessing (PaddleSeg: 2650).</summary>
    public double ClipMax { get; init; } = 2650;
}

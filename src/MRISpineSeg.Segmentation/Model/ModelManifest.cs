using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model;

/// <summary>
/// What a segmentation model expects and produces. Stored in the ONNX file's metadata, so a model file is
/// self-describing: the pipeline preprocesses by these values, never by constants of its own.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Stable id, e.g. <c>vnet-w16-paddleseg</c> or <c>vnet-w4-phantom-demo</c>.</summary>
    public required string ModelId { get; init; }

    /// <summary>
    /// Architecture name: <c>vnet</c> (also for manifests written before the field had other values), <c>unet3d</c>,
    /// or <c>external</c> for a model wrapped by <c>spineseg model import</c>. Informational: the pipeline runs every
    /// model by its manifest's grid, class and preprocessing fields, never by this name.
    /// </summary>
    public string Architecture { get; init; } = "vnet";

    /// <summary>Base channel width (VNet: 16 in PaddleSeg; UNet3D: base_n_filter, 8); 0 when not known (imported models).</summary>
    public int Width { get; init; } = 16;

    /// <summary>Activation: <c>prelu</c> (PaddleSeg's VNet, elu=False), <c>elu</c>, <c>leaky_relu</c> (UNet3D) or <c>unknown</c>.</summary>
    public string Activation { get; init; } = "prelu";

    /// <summary>The activations <see cref="Activation"/> may name.</summary>
    public static readonly IReadOnlyList<string> Activations = ["prelu", "elu", "leaky_relu", "unknown"];

    /// <summary>Most classes a model may have: labels are stored as bytes, and 255 keeps every label and the class count in one.</summary>
    public const int MaxClasses = 255;

    /// <summary>Number of output classes including background (20 for MRSpineSeg).</summary>
    public int NumClasses { get; init; } = 20;

    /// <summary>Class names by label value (index 0 is background).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Grid the network runs at, NIfTI axis order (x, y, z): 512×512×12 for PaddleSeg.</summary>
    public Shape3 InputGrid { get; init; } = new(512, 512, 12);

    /// <summary>
    /// The grid rule (manifest field <c>grid_multiple</c>): every extent of <see cref="InputGrid"/> is a multiple of the
    /// matching extent here, e.g. 16,16,16 for a UNet3D with four stride-2 levels. 1,1,1 (no rule) for manifests
    /// without the field, which VNet models are: their grid is checked against the kernels when they are built.
    /// </summary>
    public Shape3 GridMultiple { get; init; } = new(1, 1, 1);

    /// <summary>Intensity clip: <c>x = clip(x / ClipMax, 0, 1)</c> before resizing (2650 in PaddleSeg's spine config).</summary>
    public double ClipMax { get; init; } = 2650;

    /// <summary>scipy zoom order for images (1).</summary>
    public int ImageOrder { get; init; } = 1;

    /// <summary>scipy zoom order for labels (0).</summary>
    public int LabelOrder { get; init; }

    /// <summary>
    /// Axis codes of the grid the model was trained on (nibabel's <c>aff2axcodes</c>): <c>PSR</c> for PaddleSeg's
    /// MRSpineSeg models and for every model whose manifest predates the field. Scans stored in any other order are
    /// permuted and flipped to these codes before preprocessing (docs/design.md §3).
    /// </summary>
    public string Orientation { get; init; } = DefaultOrientation;

    /// <summary>The orientation of MRSpineSeg files and PaddleSeg's models.</summary>
    public const string DefaultOrientation = "PSR";

    /// <summary>Tensor layout: <c>[N=1, C=1, D=x, H=y, W=z]</c>, row-major, so z (the slice axis) is fastest in memory.</summary>
    public string Layout { get; init; } = "NCDHW=[1,1,X,Y,Z]";

    /// <summary>SHA-256 (hex) of the weights the graph was built from.</summary>
    public required string WeightsSha256 { get; init; }

    /// <summary>
    /// One line on what the weights were trained on (e.g. "synthetic phantoms only"), printed by <c>segment</c> and
    /// recorded in the stats, so a reader knows what to expect of the mask. Null for models built without one.
    /// </summary>
    public string? TrainingData { get; init; }

    /// <summary>
    /// Whether the model's card asks for largest-component clean-up by default (<c>keep_largest_component</c>): each
    /// label keeps only its largest 3-D connected component. A caller's explicit choice overrides it.
    /// </summary>
    public bool KeepLargestComponent { get; init; }

    /// <summary>
    /// Whether the labels 1…NumClasses−1 are vertebrae in order from the bottom up (the MRSpineSeg table's S, L5, L4, …)
    /// that <c>segment</c> and the worker rename by their order along the spine by default (<c>order_levels</c>,
    /// <see cref="Postprocessing.LevelOrdering"/>). Only for models without discs: at most <see cref="MaxOrderedClasses"/> classes.
    /// </summary>
    public bool OrderLevels { get; init; }

    /// <summary>Background, S and L5…T9: the most classes a level-ordered model can have.</summary>
    public const int MaxOrderedClasses = 11;

    /// <summary>
    /// Numeric form of the graph: <see cref="Float32"/> (every model built by <c>spineseg model build</c>, and every
    /// manifest that predates the field) or <see cref="Int8"/> (made by <c>spineseg model quantize</c>: u8 activations,
    /// s8 per-channel weights, for the CPU only).
    /// </summary>
    public string Precision { get; init; } = Float32;

    public const string Float32 = "fp32";

    public const string Int8 = "int8";

    /// <summary>What an int8 model's activation ranges were calibrated on; null for fp32 models.</summary>
    public CalibrationRecord? Calibration { get; init; }

    public bool IsInt8 => string.Equals(Precision, Int8, StringComparison.Ordinal);
}

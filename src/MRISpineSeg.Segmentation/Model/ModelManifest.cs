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

    /// <summary>Architecture name, e.g. <c>vnet</c>.</summary>
    public string Architecture { get; init; } = "vnet";

    /// <summary>Base channel width of the VNet (16 in PaddleSeg).</summary>
    public int Width { get; init; } = 16;

    /// <summary>Activation: <c>prelu</c> (PaddleSeg's elu=False) or <c>elu</c>.</summary>
    public string Activation { get; init; } = "prelu";

    /// <summary>Number of output classes including background (20 for MRSpineSeg).</summary>
    public int NumClasses { get; init; } = 20;

    /// <summary>Class names by label value (index 0 is background).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Grid the network runs at, NIfTI axis order (x, y, z): 512×512×12 for PaddleSeg.</summary>
    public Shape3 InputGrid { get; init; } = new(512, 512, 12);

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

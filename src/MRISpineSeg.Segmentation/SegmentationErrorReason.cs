namespace MRISpineSeg.Segmentation;

/// <summary>
/// Why segmentation failed. Each reason is documented as permanent or transient; <see cref="SegmentationException.IsTransient"/>
/// follows from it, and a pipeline retries only transient failures and dead-letters the rest.
/// </summary>
public enum SegmentationErrorReason
{
    /// <summary>The model file does not exist or cannot be opened. Permanent.</summary>
    ModelNotFound,

    /// <summary>The model file is not a loadable ONNX model (empty, truncated, not protobuf, unsupported ops). Permanent.</summary>
    InvalidModel,

    /// <summary>The ONNX model carries no manifest, or a manifest field is missing or invalid. Permanent.</summary>
    InvalidManifest,

    /// <summary>The model's graph does not agree with its manifest or with what inference needs (names, shapes, classes). Permanent.</summary>
    ModelMismatch,

    /// <summary>The weights file is empty, not a pickle, or not a dict of numpy arrays. Permanent.</summary>
    InvalidWeights,

    /// <summary>The weights do not fit the architecture: missing, unexpected or mis-shaped keys. Permanent.</summary>
    WeightsMismatch,

    /// <summary>The input does not fit the model (wrong tensor length, grid other than the manifest's). Permanent.</summary>
    InputMismatch,

    /// <summary>The scan cannot be segmented: not 3-D, all zero, or otherwise unusable. Permanent.</summary>
    InvalidScan,

    /// <summary>The paths of a run do not make sense: an output that is an input, an output folder inside the input folder, a folder with no scans, two scans that would write the same mask. Permanent.</summary>
    InvalidRequest,

    /// <summary>The requested execution provider (e.g. CUDA) is not available in this process. Permanent for this host.</summary>
    ProviderUnavailable,

    /// <summary>The runtime failed while running the network (e.g. out of memory). Transient: another attempt may succeed.</summary>
    InferenceFailed,
}

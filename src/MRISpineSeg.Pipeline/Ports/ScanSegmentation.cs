namespace MRISpineSeg.Pipeline.Ports;

/// <summary>What segmenting one scan yields, ready to upload (the model is <see cref="IScanSegmenter.ModelId"/>).</summary>
/// <param name="MaskNiftiGz">The uint8 label mask (values 0..19, docs/design.md §2) as .nii.gz bytes on the scan's grid.</param>
/// <param name="PreviewPng">Mid-sagittal slice with a coloured overlay and legend, PNG bytes.</param>
/// <param name="StatsJson">Per-structure voxel counts and volumes in mm³, UTF-8 JSON.</param>
/// <param name="InferenceMs">Milliseconds spent in the network itself (the rest of the attempt is pipeline overhead).</param>
/// <param name="Orientation">The scan's axis codes as stored (e.g. <c>RAS</c>, <c>PSR</c>), from its affine.</param>
/// <param name="Reorientation">The permutation and flips applied to reach the model's axis codes (e.g. <c>RAS→PSR: axes (1, 2, 0), flip 0</c>, or <c>none</c>).</param>
public sealed record ScanSegmentation(byte[] MaskNiftiGz, byte[] PreviewPng, byte[] StatsJson, double InferenceMs, string Orientation, string Reorientation);

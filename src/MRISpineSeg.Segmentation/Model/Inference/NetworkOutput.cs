namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>
/// One forward pass. <see cref="Labels"/>: row-major [X, Y, Z] (z fastest) class indices.
/// <see cref="Logits"/>: row-major [C, X, Y, Z] float32 when asked for, else null.
/// </summary>
public sealed record NetworkOutput(byte[] Labels, float[]? Logits);

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>uint8 affine quantization of one tensor: real = <see cref="Scale"/> · (q − <see cref="ZeroPoint"/>).</summary>
public readonly record struct QuantParams(float Scale, byte ZeroPoint);

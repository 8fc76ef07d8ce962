namespace MRISpineSeg.Segmentation.Model.Weights;

/// <summary>One named float32 array, row-major (C order, last axis fastest), in the shape Paddle stores it.</summary>
public sealed record WeightTensor(string Name, int[] Shape, float[] Data);

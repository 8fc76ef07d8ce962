namespace MRISpineSeg.Segmentation.Postprocessing;

/// <summary>
/// What <see cref="LevelOrdering"/> did: how many bodies it found, after how many erosions, the offset of the
/// bottom body's label from the model's lowest level label, and how many voxels changed label.
/// </summary>
public sealed record LevelOrderOutcome(int Bodies, int Erosions, int Offset, long ChangedVoxels);

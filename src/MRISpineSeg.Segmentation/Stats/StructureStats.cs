namespace MRISpineSeg.Segmentation.Stats;

/// <summary>One structure found in a mask: its label value, name, voxel count and volume in mm³ (count × voxel volume).</summary>
public sealed record StructureStats(int Label, string Name, long VoxelCount, double VolumeMm3);

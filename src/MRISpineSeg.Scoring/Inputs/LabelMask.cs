using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Scoring.Inputs;

/// <summary>
/// A decoded label mask: <see cref="Labels"/> is x-fastest (<c>index = x + X·(y + Y·z)</c>, NIfTI axis order) with one
/// byte per voxel. It may live in a reused buffer, so it is valid only until its <see cref="MaskReader"/> reads again.
/// </summary>
internal readonly record struct LabelMask(Shape3 Shape, VolumeGeometry Geometry, ArraySegment<byte> Labels);

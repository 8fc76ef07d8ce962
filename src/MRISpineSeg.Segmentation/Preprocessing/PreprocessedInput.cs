using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Preprocessing;

/// <summary>
/// The network input for one scan: <paramref name="Tensor"/> is [1, 1, X, Y, Z] row-major (z fastest) over
/// <paramref name="Grid"/>, values in [0, 1]. <paramref name="ClippedMax"/> is the scan's largest value after
/// <c>clip(x / ClipMax, 0, 1)</c> (0 means a blank scan); <paramref name="ResizedMax"/> is the divisor used in the last
/// step (0 when the resized volume was blank and left undivided).
/// </summary>
public sealed record PreprocessedInput(float[] Tensor, Shape3 Grid, float ClippedMax, float ResizedMax);
